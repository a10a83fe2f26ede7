import { DrizzleSessionRepositoryBase } from './session.repository.gen.js';

/** Custom queries for Session go here (use `this.db` and the tables of schema.gen.ts); scaffold never rewrites this file. */
export class DrizzleSessionRepository extends DrizzleSessionRepositoryBase {}
