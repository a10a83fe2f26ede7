import { DrizzleCurrentUserRepositoryBase } from './current-user.repository.gen.js';

/** Custom queries for CurrentUser go here (use `this.db` and the tables of schema.gen.ts); scaffold never rewrites this file. */
export class DrizzleCurrentUserRepository extends DrizzleCurrentUserRepositoryBase {}
