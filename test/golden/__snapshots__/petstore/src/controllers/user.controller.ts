import { UserControllerBase } from './user.controller.gen.js';

/** HTTP handlers of user. Override a method to adapt input or output; scaffold never rewrites this file. */
export class UserController extends UserControllerBase {}
