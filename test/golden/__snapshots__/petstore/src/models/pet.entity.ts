import { PetBase } from './pet.entity.gen.js';

/**
 * The Pet entity.
 *
 * Domain behaviour goes here, built on the generated fields, rules and transitions of
 * PetBase; use `this.change({...})` so the rules are checked on every change.
 * scaffold never rewrites this file.
 */
export class Pet extends PetBase {}
