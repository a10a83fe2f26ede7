import type { Database } from './database.js';
import { auditLog } from './schema.gen.js';

/**
 * The audit log of the entities the domain model declares `audited`: one row per change, written by
 * their repositories in the transaction of the change itself, so a change is never stored without its
 * record nor a record without its change. The log is append-only: this module only inserts, and no
 * repository updates or deletes its rows (revoke UPDATE and DELETE on audit_log from the application's
 * database role where the database itself should enforce it).
 */

/** Who changes a row of an audited entity, and why: what its audit record says besides the change. */
export interface ChangeNote {
  /** The caller's subject (a token's `sub`); null or absent: the application itself (a job, a migration). */
  actor?: string | null | undefined;
  /** A state-machine transition's name; default: create, update or delete. */
  action?: string | undefined;
  /** Why, in the caller's words. */
  reason?: string | null | undefined;
  requestId?: string | undefined;
}

/** A changed field in the log: its value before and after, as JSON (secret fields as REDACTED). */
export interface FieldChange {
  before: unknown;
  after: unknown;
}

/** What stands for a secret field's values (a password hash): the log says it changed, never to what. */
export const REDACTED = '[redacted]';

/** Stored by the database or the repository itself, never part of a change. */
const NOT_RECORDED = new Set(['id', 'createdAt', 'updatedAt', 'version']);

export interface RecordedChange {
  entity: string;
  entityId: string | number;
  action: string;
  /** The row before the change (undefined for a create) and after it (undefined for a delete). */
  before: Readonly<Record<string, unknown>> | undefined;
  after: Readonly<Record<string, unknown>> | undefined;
  /** The row properties holding secrets. */
  secret: readonly string[];
}

/** Writes the audit record of a change, unless nothing was changed; call it with the change's transaction. */
export async function recordChange(db: Database, change: RecordedChange, note: ChangeNote = {}): Promise<void> {
  const changes = changedFields(change.before, change.after, change.secret);
  if (Object.keys(changes).length === 0) return;
  await db.insert(auditLog).values({
    entity: change.entity,
    entityId: String(change.entityId),
    action: note.action ?? change.action,
    actor: note.actor ?? null,
    changes,
    reason: note.reason ?? null,
    requestId: note.requestId ?? null,
  });
}

/** The fields whose values differ between two versions of a row, with both values. */
export function changedFields(
  before: Readonly<Record<string, unknown>> | undefined,
  after: Readonly<Record<string, unknown>> | undefined,
  secret: readonly string[],
): Record<string, FieldChange> {
  const changes: Record<string, FieldChange> = {};
  for (const field of new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})])) {
    if (NOT_RECORDED.has(field)) continue;
    const was = jsonValue(before?.[field]);
    const now = jsonValue(after?.[field]);
    if (JSON.stringify(was) === JSON.stringify(now)) continue;
    changes[field] = secret.includes(field) ? { before: REDACTED, after: REDACTED } : { before: was, after: now };
  }
  return changes;
}

/** A column's value as the log's JSON holds it: dates as ISO strings, big integers as strings, nothing as null. */
function jsonValue(value: unknown): unknown {
  if (value === undefined) return null;
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'bigint') return value.toString();
  return value;
}
