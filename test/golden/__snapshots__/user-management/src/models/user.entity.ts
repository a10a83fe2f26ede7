import { UserBase } from './user.entity.gen.js';

/**
 * A user account.
 *
 * Domain behaviour goes here, built on the generated fields, rules and transitions of
 * UserBase; use `this.change({...})` so the rules are checked on every change.
 * scaffold never rewrites this file.
 */
export class User extends UserBase {}
