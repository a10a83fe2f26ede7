import { PaymentBase } from './payment.entity.gen.js';

/**
 * The Payment entity.
 *
 * Domain behaviour goes here, built on the generated fields, rules and transitions of
 * PaymentBase; use `this.change({...})` so the rules are checked on every change.
 * scaffold never rewrites this file.
 */
export class Payment extends PaymentBase {}
