import { UsersControllerBase } from './users.controller.gen.js';

/** HTTP handlers of users. Override a method to adapt input or output; scaffold never rewrites this file. */
export class UsersController extends UsersControllerBase {}
