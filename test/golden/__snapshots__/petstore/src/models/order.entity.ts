import { OrderBase } from './order.entity.gen.js';

/**
 * The Order entity.
 *
 * Domain behaviour goes here, built on the generated fields, rules and transitions of
 * OrderBase; use `this.change({...})` so the rules are checked on every change.
 * scaffold never rewrites this file.
 */
export class Order extends OrderBase {}
