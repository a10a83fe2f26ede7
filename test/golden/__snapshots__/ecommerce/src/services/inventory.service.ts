import { InventoryServiceBase } from './inventory.service.gen.js';

/**
 * Business logic of inventory. Override the methods of InventoryServiceBase here;
 * scaffold never rewrites this file, and a spec change that alters a signature shows up as a type error.
 */
export class InventoryService extends InventoryServiceBase {}
