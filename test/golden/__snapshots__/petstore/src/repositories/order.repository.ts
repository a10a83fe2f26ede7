import { DrizzleOrderRepositoryBase } from './order.repository.gen.js';

/** Custom queries for Order go here (use `this.db` and the tables of schema.gen.ts); scaffold never rewrites this file. */
export class DrizzleOrderRepository extends DrizzleOrderRepositoryBase {}
