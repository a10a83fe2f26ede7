import { DrizzleCustomerRepositoryBase } from './customer.repository.gen.js';

/** Custom queries for Customer go here (use `this.db` and the tables of schema.gen.ts); scaffold never rewrites this file. */
export class DrizzleCustomerRepository extends DrizzleCustomerRepositoryBase {}
