import { UserServiceBase } from './user.service.gen.js';

/**
 * Business logic of user. Override the methods of UserServiceBase here;
 * scaffold never rewrites this file, and a spec change that alters a signature shows up as a type error.
 */
export class UserService extends UserServiceBase {}
