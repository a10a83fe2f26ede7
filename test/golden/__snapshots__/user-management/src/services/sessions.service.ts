import { SessionsServiceBase } from './sessions.service.gen.js';

/**
 * Business logic of sessions. Override the methods of SessionsServiceBase here;
 * scaffold never rewrites this file, and a spec change that alters a signature shows up as a type error.
 */
export class SessionsService extends SessionsServiceBase {}
