import type { SourceLocation } from '../../diagnostics/diagnostic.js';
import { didYouMean } from '../../diagnostics/did-you-mean.js';
import type { SignInDocument } from '../../load/domain-model-types.js';
import { ExpressionError, fieldsOf, parseExpression, readsCaller } from './expression.js';
import type { Entity, Field, ScalarType, SignIn, SignInStep } from './types.js';

type Path = (string | number)[];
type Report = (message: string, path: Path) => void;

/** A field sign-in reads or writes: its name, the types it may have, whether it must be required. */
interface Need {
  name: string;
  types: readonly ScalarType[];
  required?: boolean;
  optional?: boolean;
  unique?: boolean;
}

const SESSION_FIELDS: readonly Need[] = [
  { name: 'refreshTokenHash', types: ['string', 'text'], required: true },
  { name: 'refreshGeneration', types: ['integer'], required: true },
  { name: 'expiresAt', types: ['datetime'], required: true },
  { name: 'revokedAt', types: ['datetime'], optional: true },
];
const LOCKOUT_FIELDS: readonly Need[] = [
  { name: 'failedLogins', types: ['integer'], required: true },
  { name: 'lockedUntil', types: ['datetime'], optional: true },
];

/**
 * Checks a model's `signIn` against its entities: every name resolves, and the fields the generated
 * sign-in reads and writes exist with a type it can use (SCF027). The operations it names are checked
 * against the spec later (src/model/crud/bind-sign-in.ts), where the spec is known.
 */
export function buildSignIn(document: SignInDocument, entities: readonly Entity[], locate: (path: Path) => SourceLocation, report: Report): SignIn | undefined {
  const byName = new Map(entities.map((e) => [e.names.original, e]));
  const at = (...path: Path): Path => ['signIn', ...path];
  const entity = byName.get(document.entity);
  const sessions = byName.get(document.sessions);
  if (!entity) report(`signIn names unknown entity "${document.entity}"${didYouMean(document.entity, byName.keys())}`, at('entity'));
  if (!sessions) report(`signIn names unknown session entity "${document.sessions}"${didYouMean(document.sessions, byName.keys())}`, at('sessions'));
  if (!entity || !sessions) return undefined;

  const problems: string[] = [];
  const check = (owner: Entity, need: Need, path: Path, what: string) => {
    const field = owner.fields.find((f) => f.names.original === need.name);
    const fault = fieldFault(field, need);
    if (fault) {
      report(`${what} "${need.name}" of ${owner.names.original} ${fault}${field ? '' : didYouMean(need.name, owner.fields.map((f) => f.names.original))}`, path);
      problems.push(need.name);
    }
  };
  check(entity, { name: document.identifier, types: ['string', 'text'], required: true, unique: true }, at('identifier'), 'signIn identifier');
  check(entity, { name: document.password, types: ['string', 'text'], required: true }, at('password'), 'signIn password');
  if (document.roles !== undefined) check(entity, { name: document.roles, types: ['json'], required: true }, at('roles'), 'signIn roles');
  for (const need of LOCKOUT_FIELDS) check(entity, need, at('entity'), 'the lockout needs field');
  for (const need of SESSION_FIELDS) check(sessions, need, at('sessions'), 'sign-in sessions need field');
  if (document.rolePermissions && document.roles === undefined) report('signIn rolePermissions needs signIn roles: the permissions are those of the user\'s roles', at('rolePermissions'));
  if (document.rolePermissions) {
    const { entity: name, name: nameField, permissions } = document.rolePermissions;
    const roles = byName.get(name);
    if (!roles) report(`signIn rolePermissions names unknown entity "${name}"${didYouMean(name, byName.keys())}`, at('rolePermissions', 'entity'));
    else {
      check(roles, { name: nameField, types: ['string', 'text'], required: true, unique: true }, at('rolePermissions', 'name'), 'signIn rolePermissions name');
      check(roles, { name: permissions, types: ['json'], required: true }, at('rolePermissions', 'permissions'), 'signIn rolePermissions permissions');
    }
  }
  const relation = sessions.relations.find((r) => r.kind === 'many-to-one' && r.target === entity.names.original);
  if (!relation) report(`session entity ${sessions.names.original} needs a many-to-one relation to ${entity.names.original}`, at('sessions'));

  let activeWhen: SignIn['activeWhen'];
  if (document.activeWhen !== undefined) {
    try {
      activeWhen = parseExpression(document.activeWhen);
      const known = new Set(entity.fields.map((f) => f.names.original));
      const unknown = [...fieldsOf(activeWhen)].filter((f) => !known.has(f));
      if (readsCaller(activeWhen)) report('signIn activeWhen reads the caller; it is a condition over the user\'s own fields', at('activeWhen'));
      else if (unknown.length > 0) report(`signIn activeWhen names unknown field${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')} of ${entity.names.original}`, at('activeWhen'));
    } catch (cause) {
      if (!(cause instanceof ExpressionError)) throw cause;
      report(`signIn activeWhen: ${cause.message} at column ${cause.offset + 1} of "${document.activeWhen}"`, at('activeWhen'));
    }
  }
  if (problems.length > 0 || !relation) return undefined;

  const has = (owner: Entity, name: string, type: ScalarType) => owner.fields.some((f) => f.names.original === name && f.type === type);
  const steps = Object.keys(document.operations) as SignInStep[];
  return {
    entity: entity.names.original,
    identifier: document.identifier,
    password: document.password,
    roles: document.roles,
    activeWhen,
    lastLogin: has(entity, 'lastLoginAt', 'datetime') ? 'lastLoginAt' : undefined,
    sessions: {
      entity: sessions.names.original,
      relation: relation.names.original,
      lastSeenAt: has(sessions, 'lastSeenAt', 'datetime'),
      ipAddress: sessions.fields.some((f) => f.names.original === 'ipAddress' && (f.type === 'string' || f.type === 'text')),
      userAgent: sessions.fields.some((f) => f.names.original === 'userAgent' && (f.type === 'string' || f.type === 'text')),
    },
    accessTokenSeconds: (document.accessTokenMinutes ?? 15) * 60,
    refreshTokenSeconds: (document.refreshTokenDays ?? 30) * 86_400,
    lockout: { attempts: document.lockout?.attempts ?? 5, seconds: (document.lockout?.minutes ?? 15) * 60, addressAttempts: document.lockout?.addressAttempts ?? 20 },
    rolePermissions: document.rolePermissions && { ...document.rolePermissions },
    passwordPolicy: document.passwordPolicy && {
      minLength: document.passwordPolicy.minLength,
      requireUppercase: document.passwordPolicy.requireUppercase ?? false,
      requireLowercase: document.passwordPolicy.requireLowercase ?? false,
      requireDigit: document.passwordPolicy.requireDigit ?? false,
      requireSymbol: document.passwordPolicy.requireSymbol ?? false,
    },
    operations: { ...document.operations },
    operationLocations: Object.fromEntries(steps.map((step) => [step, locate(at('operations', step))])),
  };
}

/** What is wrong with a field for a need, if anything. */
function fieldFault(field: Field | undefined, need: Need): string | undefined {
  if (!field) return 'does not exist';
  if (typeof field.type !== 'string' || !need.types.includes(field.type)) return `must be of type ${need.types.join(' or ')}`;
  if (need.required && !field.required) return 'must be required';
  if (need.optional && field.required) return 'must say required: false';
  if (need.unique && !field.unique) return 'must be unique';
  return undefined;
}
