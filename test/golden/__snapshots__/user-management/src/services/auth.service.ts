import { AuthServiceBase } from './auth.service.gen.js';

/**
 * Business logic of auth. Override the methods of AuthServiceBase here;
 * scaffold never rewrites this file, and a spec change that alters a signature shows up as a type error.
 */
export class AuthService extends AuthServiceBase {}
