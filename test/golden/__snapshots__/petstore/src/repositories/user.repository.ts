import { DrizzleUserRepositoryBase } from './user.repository.gen.js';

/** Custom queries for User go here (use `this.db` and the tables of schema.gen.ts); scaffold never rewrites this file. */
export class DrizzleUserRepository extends DrizzleUserRepositoryBase {}
