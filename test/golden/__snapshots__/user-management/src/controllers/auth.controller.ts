import { AuthControllerBase } from './auth.controller.gen.js';

/** HTTP handlers of auth. Override a method to adapt input or output; scaffold never rewrites this file. */
export class AuthController extends AuthControllerBase {}
