import { UsersServiceBase } from './users.service.gen.js';

/**
 * Business logic of users. Override the methods of UsersServiceBase here;
 * scaffold never rewrites this file, and a spec change that alters a signature shows up as a type error.
 */
export class UsersService extends UsersServiceBase {}
