import { DrizzleOrderItemRepositoryBase } from './order-item.repository.gen.js';

/** Custom queries for OrderItem go here (use `this.db` and the tables of schema.gen.ts); scaffold never rewrites this file. */
export class DrizzleOrderItemRepository extends DrizzleOrderItemRepositoryBase {}
