import { DrizzleRoleRepositoryBase } from './role.repository.gen.js';

/** Custom queries for Role go here (use `this.db` and the tables of schema.gen.ts); scaffold never rewrites this file. */
export class DrizzleRoleRepository extends DrizzleRoleRepositoryBase {}
