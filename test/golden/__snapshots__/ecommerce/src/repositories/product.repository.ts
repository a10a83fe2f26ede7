import { DrizzleProductRepositoryBase } from './product.repository.gen.js';

/** Custom queries for Product go here (use `this.db` and the tables of schema.gen.ts); scaffold never rewrites this file. */
export class DrizzleProductRepository extends DrizzleProductRepositoryBase {}
