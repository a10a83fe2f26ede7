import { DrizzlePaymentRepositoryBase } from './payment.repository.gen.js';

/** Custom queries for Payment go here (use `this.db` and the tables of schema.gen.ts); scaffold never rewrites this file. */
export class DrizzlePaymentRepository extends DrizzlePaymentRepositoryBase {}
