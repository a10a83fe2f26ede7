import { SessionsControllerBase } from './sessions.controller.gen.js';

/** HTTP handlers of sessions. Override a method to adapt input or output; scaffold never rewrites this file. */
export class SessionsController extends SessionsControllerBase {}
