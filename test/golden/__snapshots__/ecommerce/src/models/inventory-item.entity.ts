import { InventoryItemBase } from './inventory-item.entity.gen.js';

/**
 * Stock of one product. Reservations hold stock for orders that are not shipped yet.
 *
 * Domain behaviour goes here, built on the generated fields, rules and transitions of
 * InventoryItemBase; use `this.change({...})` so the rules are checked on every change.
 * scaffold never rewrites this file.
 */
export class InventoryItem extends InventoryItemBase {}
