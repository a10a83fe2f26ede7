import { CustomerBase } from './customer.entity.gen.js';

/**
 * The Customer entity.
 *
 * Domain behaviour goes here, built on the generated fields, rules and transitions of
 * CustomerBase; use `this.change({...})` so the rules are checked on every change.
 * scaffold never rewrites this file.
 */
export class Customer extends CustomerBase {}
