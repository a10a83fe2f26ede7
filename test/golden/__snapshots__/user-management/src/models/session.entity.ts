import { SessionBase } from './session.entity.gen.js';

/**
 * A login session; one per refresh-token family.
 *
 * Domain behaviour goes here, built on the generated fields, rules and transitions of
 * SessionBase; use `this.change({...})` so the rules are checked on every change.
 * scaffold never rewrites this file.
 */
export class Session extends SessionBase {}
