import { CurrentUserBase } from './current-user.entity.gen.js';

/**
 * The CurrentUser entity.
 *
 * Domain behaviour goes here, built on the generated fields, rules and transitions of
 * CurrentUserBase; use `this.change({...})` so the rules are checked on every change.
 * scaffold never rewrites this file.
 */
export class CurrentUser extends CurrentUserBase {}
