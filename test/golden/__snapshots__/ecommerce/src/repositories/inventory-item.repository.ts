import { DrizzleInventoryItemRepositoryBase } from './inventory-item.repository.gen.js';

/** Custom queries for InventoryItem go here (use `this.db` and the tables of schema.gen.ts); scaffold never rewrites this file. */
export class DrizzleInventoryItemRepository extends DrizzleInventoryItemRepositoryBase {}
