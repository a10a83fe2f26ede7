import { ProductBase } from './product.entity.gen.js';

/**
 * Something the shop sells.
 *
 * Domain behaviour goes here, built on the generated fields, rules and transitions of
 * ProductBase; use `this.change({...})` so the rules are checked on every change.
 * scaffold never rewrites this file.
 */
export class Product extends ProductBase {}
