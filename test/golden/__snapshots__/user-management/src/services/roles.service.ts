import { RolesServiceBase } from './roles.service.gen.js';

/**
 * Business logic of roles. Override the methods of RolesServiceBase here;
 * scaffold never rewrites this file, and a spec change that alters a signature shows up as a type error.
 */
export class RolesService extends RolesServiceBase {}
