/**
 * Who is asking, as the domain's policies see them. The request's AuthContext is one; code that acts
 * on its own behalf (a job, a migration) passes none and is not restricted.
 */
export interface Caller {
  /** The token's `sub`, the API key's owner, the basic-auth user name. */
  subject: string | undefined;
  roles: readonly string[];
  claims: Readonly<Record<string, unknown>>;
}

export function hasRole(caller: Caller | undefined, role: string): boolean {
  return caller?.roles.includes(role) ?? false;
}

/** A claim by its path (`tenant`, `org.id`) when it is a string, number or boolean; else undefined. */
export function claimOf(caller: Caller | undefined, path: readonly string[]): string | number | boolean | undefined {
  let value: unknown = caller?.claims;
  for (const key of path) {
    if (typeof value !== 'object' || value === null || !Object.hasOwn(value, key)) return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? value : undefined;
}
