import { OrderItemBase } from './order-item.entity.gen.js';

/**
 * The OrderItem entity.
 *
 * Domain behaviour goes here, built on the generated fields, rules and transitions of
 * OrderItemBase; use `this.change({...})` so the rules are checked on every change.
 * scaffold never rewrites this file.
 */
export class OrderItem extends OrderItemBase {}
