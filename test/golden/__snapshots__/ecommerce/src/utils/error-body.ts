import { STATUS_CODES } from 'node:http';
import type { ErrorBodyTemplate } from '../controllers/operation-route.js';

/** What an error body can say about an error; templates pick what their schema has room for. */
export interface ErrorFacts {
  status: number;
  code: string;
  message: string;
  details: unknown;
  requestId: string;
  path: string;
  /** The validation issue being written, inside a `$each` over the details. */
  detail?: { location: string; message: string };
}

/** The house envelope's error body, used when the spec declares no error schema of its own. */
export const ENVELOPE_ERROR_TEMPLATE: ErrorBodyTemplate = {
  success: false,
  error: {
    code: { $fill: 'code' },
    message: { $fill: 'message' },
    details: { $fill: 'details' },
    requestId: { $fill: 'requestId' },
  },
};

/**
 * Fills `{ $fill: name }` placeholders. Placeholders whose value is absent (no details, say) are left
 * out, so optional fields stay optional; the generator marks required ones with a fallback.
 */
export function fillErrorBody(template: ErrorBodyTemplate, facts: ErrorFacts): unknown {
  if (Array.isArray(template)) return template.map((item) => fillErrorBody(item, facts));
  if (typeof template !== 'object' || template === null) return template;
  const record = template as Record<string, unknown>;
  if (typeof record.$fill === 'string') return valueOf(record.$fill, facts, record.fallback);
  if (record.$each === 'details') {
    // One entry per validation issue, shaped by the spec's detail schema; an object where the schema allows one.
    if (!Array.isArray(facts.details))
      return record.objects === true && isPlainObject(facts.details) ? facts.details : record.fallback;
    return facts.details.map((detail: unknown) => fillErrorBody(record.item, { ...facts, detail: asIssue(detail) }));
  }
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(record)) {
    const filled = fillErrorBody(value, facts);
    if (filled !== undefined) out[key] = filled;
  }
  return out;
}

function valueOf(name: string, facts: ErrorFacts, fallback: unknown): unknown {
  switch (name) {
    case 'status':
      return facts.status;
    case 'statusText':
      return STATUS_CODES[facts.status] ?? 'Error';
    case 'code':
      return facts.code;
    case 'message':
      return facts.message;
    case 'details':
      return facts.details ?? fallback;
    case 'detailObject':
      return isPlainObject(facts.details) ? facts.details : fallback;
    case 'detailMessages':
      return Array.isArray(facts.details) ? facts.details.map(describe) : fallback;
    case 'requestId':
      return facts.requestId;
    case 'path':
      return facts.path;
    case 'timestamp':
      return new Date().toISOString();
    case 'detail.location':
      return facts.detail?.location ?? '';
    case 'detail.message':
      return facts.detail?.message ?? '';
    default:
      return fallback;
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function asIssue(detail: unknown): { location: string; message: string } {
  if (typeof detail === 'object' && detail !== null) {
    const { location, message } = detail as { location?: unknown; message?: unknown };
    return { location: String(location ?? ''), message: String(message ?? '') };
  }
  return { location: '', message: String(detail) };
}

function describe(detail: unknown): string {
  if (typeof detail === 'object' && detail !== null && 'message' in detail) {
    const { location, message } = detail as { location?: unknown; message: unknown };
    return location ? `${String(location)}: ${String(message)}` : String(message);
  }
  return String(detail);
}
