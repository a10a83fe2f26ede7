import { PetServiceBase } from './pet.service.gen.js';

/**
 * Business logic of pet. Override the methods of PetServiceBase here;
 * scaffold never rewrites this file, and a spec change that alters a signature shows up as a type error.
 */
export class PetService extends PetServiceBase {}
