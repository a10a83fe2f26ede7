import { RolesControllerBase } from './roles.controller.gen.js';

/** HTTP handlers of roles. Override a method to adapt input or output; scaffold never rewrites this file. */
export class RolesController extends RolesControllerBase {}
