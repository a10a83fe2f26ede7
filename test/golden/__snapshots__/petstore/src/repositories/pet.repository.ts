import { DrizzlePetRepositoryBase } from './pet.repository.gen.js';

/** Custom queries for Pet go here (use `this.db` and the tables of schema.gen.ts); scaffold never rewrites this file. */
export class DrizzlePetRepository extends DrizzlePetRepositoryBase {}
