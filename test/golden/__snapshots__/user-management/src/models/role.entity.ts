import { RoleBase } from './role.entity.gen.js';

/**
 * A role and the permissions it grants.
 *
 * Domain behaviour goes here, built on the generated fields, rules and transitions of
 * RoleBase; use `this.change({...})` so the rules are checked on every change.
 * scaffold never rewrites this file.
 */
export class Role extends RoleBase {}
