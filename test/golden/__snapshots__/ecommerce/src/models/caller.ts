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

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The caller's subject when it is a UUID (what a row's id can be); else undefined. */
export function subjectAsUuid(caller: Caller | undefined): string | undefined {
  const subject = caller?.subject;
  return subject !== undefined && UUID.test(subject) ? subject : undefined;
}
