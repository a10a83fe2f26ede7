import { PetControllerBase } from './pet.controller.gen.js';

/** HTTP handlers of pet. Override a method to adapt input or output; scaffold never rewrites this file. */
export class PetController extends PetControllerBase {}
