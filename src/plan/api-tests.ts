import { createSetup, holdingValues, type CreateSetup } from './effects/test-setup.js';
import { refusalStates } from './entity-view.js';
import { sampleFields } from './domain-samples.js';
import { evaluate, fieldsOf } from '../model/domain/expression.js';
import { changeRefusalsOf, rolesIn, ruleFor } from '../model/domain/policies.js';
import { probeRule } from './policies/policy-tests.js';
import { bindsIdToCaller, ownerFilter } from './crud-code.js';
import type { DomainModel, Entity, Field, GatewayCall, ValueObject } from '../model/domain/types.js';
import type { ChildInput, CrudModel, CrudOperation, InputProperty, OutputProperty, OutputShape, PageMember, PageValue } from '../model/crud/types.js';
import { createSchemaReader, type SchemaReader } from '../model/crud/schema-shape.js';
import { camelCase, commentText, RESERVED_WORDS, stringLiteral } from '../model/naming.js';
import type { ApiModel, JsonSchema, Operation, Resource, SecuritySchemeKind } from '../model/types.js';
import { IDEMPOTENCY_HEADER } from '../model/operations.js';
import { requiredParameters } from './contract-cases.js';
import { pathLiteral } from './crud-code.js';
import type { SchemaLookup } from './error-template.js';
import { repositoryProperty, type PersistenceView, type RepositoryView } from './persistence-view.js';
import {
  access,
  candidateValues,
  createSchemaCheck,
  fitsField,
  instantiate,
  invariantsHold,
  propertyKey,
  renderCode,
  RUNNING_NUMBERS,
  spelledVariants,
  uniqueVariants,
  valueObjectInvariantsHold,
  type Code,
  type SchemaCheck,
} from './request-values.js';

/**
 * The generated API tests (test/api/<resource>.api.gen.ts): for every operation scaffold implemented
 * from the domain model, requests through in-process HTTP that create, read, list, change and delete
 * entities and perform their transitions, with the statuses and representations the binding implies.
 * Everything here is derived from the same binding (src/model/crud) that generates the services; an
 * operation whose requests cannot be derived with confidence gets no test, and the file says why.
 */
export interface ApiTestCase {
  /** String literal. */
  title: string;
  /** An expression: the test is skipped when true (the operation is overridden in the user's service). */
  skipIf: string;
  body: string;
}

export interface ApiTestGroup {
  /** String literal: `createProduct: POST /products`. */
  title: string;
  cases: ApiTestCase[];
}

export interface ApiTestFile {
  fileStem: string;
  /** String literal for the outer describe. */
  title: string;
  resource: string;
  /** Comment-safe lines: operations without tests, and why. */
  omitted: string[];
  imports: string[];
  helpers: string[];
  groups: ApiTestGroup[];
}

/** The service-level rollback test of the unit-of-work file: a generated create inside a failing run. */
export interface ServiceRollbackView {
  baseClass: string;
  baseFile: string;
  methodName: string;
  entity: string;
  repository: string;
  /** Statements sampling the records the body refers to (inside the run). */
  parents: string[];
  body: string;
  usesRunningNumber: boolean;
  /** The service also performs sign-in steps: its base takes a SignIn. */
  usesSignIn: boolean;
}

export interface ApiTestsView {
  files: ApiTestFile[];
  serviceRollback: ServiceRollbackView | undefined;
}

interface Context {
  model: ApiModel;
  /** Ending of service class names (a guideline). */
  serviceSuffix: string;
  domain: DomainModel;
  reader: SchemaReader;
  lookup: SchemaLookup;
  check: SchemaCheck;
  entities: Map<string, Entity>;
  valueObjects: Map<string, ValueObject>;
  repositories: Map<string, RepositoryView>;
  sampled: Set<string>;
  itemPaths: CrudModel['itemPaths'];
  /** The operations the model's sign-in performs (their service base takes a SignIn). */
  signInOperations: string[];
}

/** An operation the binding implemented, with what its tests need to send it. */
interface Bound {
  crud: CrudOperation;
  operation: Operation;
  resource: Resource;
  serviceClass: string;
  /** Why it cannot be sent by the tests (credentials they cannot make, parameters without samples). */
  untestable: string | undefined;
  extra: { query: Record<string, string | string[]>; headers: Record<string, string> };
  body: { schema: JsonSchema; mediaType: string } | undefined;
}

/** A record the request refers to, created first through the sample builders of test/support/samples.gen.ts. */
interface Parent {
  variable: string;
  entity: Entity;
  serial: boolean;
}

/** What a request body set, by field: for the expected representation and the rules. */
interface Sent {
  fields: Map<string, Code>;
  objects: Map<string, Sent>;
  children: Map<string, { sent: Sent; count: number }>;
}

interface Built {
  code: Code;
  sent: Sent;
  parents: Parent[];
}

/** How a test makes an entity through the API: its create operation (or a singleton's PUT). */
interface Creator {
  entity: Entity;
  bound: Bound;
  helper: string;
  bodyFunction: string;
  built: Built;
  /** The parent in the path (`/orders/{orderId}/payments`), if any. */
  scopeParent: Parent | undefined;
  /** What the model's checks and reactions need stored with the parents (src/plan/effects/test-setup.ts). */
  setup: CreateSetup;
  shape: OutputShape;
}

const TESTABLE_SCHEMES = new Set<SecuritySchemeKind>(['bearer', 'oauth2', 'openIdConnect', 'apiKey']);
/** Names the generated tests use themselves; a parent record named like one gets another name. */
const LOCALS = new Set(['api', 'n', 'next', 'created', 'read', 'response', 'updated', 'replaced', 'done', 'page', 'all', 'before', 'first', 'second', 'set', 'stored', 'parents', 'expect', 'it', 'describe', 'version', 'list', 'own', 'item', 'context', 'service', 'transactional']);

export function buildApiTests(model: ApiModel, crud: CrudModel, domain: DomainModel, persistence: PersistenceView, serviceSuffix = 'Service'): ApiTestsView {
  const schemaById = new Map(model.schemas.map((s) => [s.id, s.schema]));
  const ctx: Context = {
    model,
    serviceSuffix,
    domain,
    reader: createSchemaReader(model.schemas),
    lookup: (id) => schemaById.get(id),
    check: createSchemaCheck(model.schemas),
    entities: new Map(domain.entities.map((e) => [e.names.original, e])),
    valueObjects: new Map(domain.valueObjects.map((v) => [v.names.original, v])),
    repositories: new Map(domain.entities.map((e) => [e.names.original, persistence.repositories.find((r) => r.entityClass === e.names.pascal) as RepositoryView])),
    sampled: new Set(persistence.samples.map((s) => s.entityClass)),
    itemPaths: crud.itemPaths,
    signInOperations: [...crud.operations.values()].filter((e) => e.implementation.kind === 'sign-in').map((e) => e.operationId),
  };
  const bound: Bound[] = [];
  for (const resource of model.resources) {
    for (const operation of resource.operations) {
      const implementation = crud.operations.get(operation.operationId)?.implementation;
      if (!implementation || implementation.kind === 'stub' || implementation.kind === 'sign-in') continue;
      bound.push(boundOperation(implementation.operation, operation, resource, ctx));
    }
  }
  const creators = new Map<string, Creator | string>();
  const creatorOf = (entity: Entity): Creator | string => {
    if (!creators.has(entity.names.original)) creators.set(entity.names.original, findCreator(entity, bound, ctx));
    return creators.get(entity.names.original) as Creator | string;
  };

  const files: ApiTestFile[] = [];
  for (const resource of model.resources) {
    const ops = bound.filter((b) => b.resource === resource);
    if (ops.length === 0) continue;
    const file = new TestFile(resource, ctx, bound, creatorOf);
    for (const op of ops) file.add(op);
    const view = file.view();
    if (view) files.push(view);
  }
  return { files, serviceRollback: serviceRollback(bound, creatorOf, ctx) };
}

function boundOperation(crud: CrudOperation, operation: Operation, resource: Resource, ctx: Context): Bound {
  const schemes = new Map(ctx.model.securitySchemes.map((s) => [s.key, s.kind]));
  // The tests sign JWTs (with the roles a bearer requirement names) and configure one API key, which grants no roles.
  const testable = (s: { key: string; scopes: string[] }): boolean => {
    const kind = schemes.get(s.key) as SecuritySchemeKind;
    return TESTABLE_SCHEMES.has(kind) && !(kind === 'apiKey' && s.scopes.length > 0);
  };
  const canAuthenticate = operation.security.length === 0 || operation.security.some((r) => r.schemes.every(testable));
  const extra = requiredParameters(operation, ctx.lookup);
  const json = operation.requestBody?.contents.find((c) => c.kind === 'json');
  return {
    crud,
    operation,
    resource,
    serviceClass: `${resource.names.pascal}${ctx.serviceSuffix}`,
    untestable: !canAuthenticate ? 'the tests cannot make credentials for its security schemes' : extra === undefined ? 'a required parameter has no sample value' : undefined,
    extra: extra ?? { query: {}, headers: {} },
    body: json?.schema === undefined ? undefined : { schema: json.schema, mediaType: json.mediaType },
  };
}

/** The operation that makes an entity in the tests: a create (top-level first), else a singleton's PUT. */
function findCreator(entity: Entity, bound: Bound[], ctx: Context): Creator | string {
  const candidates = bound
    .filter((b) => b.crud.entity === entity.names.original && ((b.crud.kind === 'create' && !b.crud.singleton) || (b.crud.kind === 'replace' && b.crud.singleton)))
    .sort((a, b) => rank(a) - rank(b));
  if (candidates.length === 0) return `no operation creates ${entity.names.original}`;
  let reason = '';
  for (const candidate of candidates) {
    const creator = makeCreator(entity, candidate, ctx);
    if (typeof creator !== 'string') return creator;
    reason ||= `${candidate.operation.operationId}: ${creator}`;
  }
  return reason;
}

function rank(b: Bound): number {
  return b.crud.singleton ? 2 : b.crud.scope ? 1 : 0;
}

function makeCreator(entity: Entity, bound: Bound, ctx: Context): Creator | string {
  if (bound.untestable) return bound.untestable;
  const shape = bound.crud.response.shape;
  if (!shape) return 'its response has no body to read the new entity from';
  const names = new ParentNames();
  const scope = bound.crud.scope;
  let scopeParent: Parent | undefined;
  if (scope) {
    const parentEntity = ctx.entities.get(scope.parentEntity) as Entity;
    if (!ctx.sampled.has(parentEntity.names.pascal)) return `no sample ${parentEntity.names.original} can be made for its path`;
    scopeParent = names.claim(scope.relation, parentEntity);
  }
  const body = buildBody(bound, entity, ctx, names, { variant: 0 });
  if (typeof body === 'string') return body;
  // The parent in the path is no part of the body.
  const built = { ...body, parents: body.parents.filter((p) => p !== scopeParent) };
  if (scope && scopeParent) built.sent.fields.set(`${scope.relation}Id`, { kind: 'reference', parent: scopeParent.variable, serial: scopeParent.serial });
  if (!shape.properties.some((p) => p.kind === 'field' && p.field === 'id') && !bound.crud.singleton) return 'its response does not show the new entity\'s id';
  return {
    entity,
    bound,
    helper: `${bound.crud.singleton ? 'set' : 'create'}${entity.names.pascal}`,
    bodyFunction: `${bound.operation.methodName}Body`,
    built,
    scopeParent,
    setup: createSetup(ctx.domain, entity, built.sent),
    shape,
  };
}

/** Variable names of parent records, one per relation (and target). */
class ParentNames {
  private readonly byRelation = new Map<string, Parent>();

  claim(relation: string, entity: Entity): Parent {
    const key = `${relation}:${entity.names.original}`;
    const known = this.byRelation.get(key);
    if (known) return known;
    let variable = camelCase(relation, 'parent');
    const taken = new Set([...this.byRelation.values()].map((p) => p.variable));
    if (RESERVED_WORDS.has(variable) || LOCALS.has(variable)) variable = `${variable}Record`;
    for (let n = 2; taken.has(variable); n += 1) variable = `${camelCase(relation, 'parent')}${n}`;
    const parent = { variable, entity, serial: entity.identity === 'serial' };
    this.byRelation.set(key, parent);
    return parent;
  }

  all(): Parent[] {
    return [...this.byRelation.values()];
  }
}

interface BuildOptions {
  /** 0: the first values; 1: values that differ from `previous` where the spec and the model allow. */
  variant: 0 | 1;
  previous?: Sent;
  /** The version a versioned change sends (an expression). */
  version?: Code;
}

/** A valid request body for an operation of the entity, or the reason there is none. */
/** The password the generated tests send where a password is stored as its hash: upper and lower case, a digit and a symbol. */
const SAMPLE_PASSWORD = 'Sample-Passw0rd-2024';

function buildBody(bound: Bound, entity: Entity, ctx: Context, names: ParentNames, options: BuildOptions): Built | string {
  const body = bound.body;
  if (!body) return 'it has no JSON request body';
  const op = bound.crud;
  const object = buildObject(body.schema, { fields: entity.fields, entity }, op.input, op.childInputs, ctx, names, options, op.versionProperty, options.previous, op.scope?.relation);
  if (typeof object === 'string') return object;
  for (const n of RUNNING_NUMBERS) {
    if (!ctx.check(body.schema, instantiate(object.code, n))) return 'no body could be found that the request schema accepts';
  }
  const built = { ...object, parents: names.all() };
  if (op.kind === 'create' && !invariantsHold(entity, sentValues(object.sent, 1), ctx.valueObjects)) return `the sample values break an invariant of ${entity.names.original}`;
  return built;
}

function buildObject(
  schema: JsonSchema,
  target: { fields: Field[]; entity?: Entity },
  bindings: InputProperty[],
  children: ChildInput[],
  ctx: Context,
  names: ParentNames,
  options: BuildOptions,
  versionProperty: string | undefined,
  previous: Sent | undefined,
  scopeRelation: string | undefined,
): { code: Code; sent: Sent } | string {
  const shape = ctx.reader.objectShape(schema);
  if (!shape) return 'its request body is not an object';
  const entries: [string, Code][] = [];
  const sent: Sent = { fields: new Map(), objects: new Map(), children: new Map() };
  const minProperties = numberKeyword(schema, 'minProperties', ctx);
  for (const [property, propertySchema] of shape.properties) {
    if (propertySchema === false) continue;
    const required = shape.required.has(property);
    if (property === versionProperty && options.version) {
      entries.push([property, options.version]);
      continue;
    }
    const binding = bindings.find((b) => b.property === property);
    const child = children.find((c) => c.property === property);
    let code: Code | string | undefined;
    if (binding?.kind === 'field') {
      const relation = target.entity?.relations.find((r) => r.column !== undefined && `${r.names.camel}Id` === binding.field && r.names.camel !== scopeRelation);
      const field = target.fields.find((f) => f.names.camel === binding.field);
      if (relation) {
        const parentEntity = ctx.entities.get(relation.target) as Entity;
        if (!ctx.sampled.has(parentEntity.names.pascal)) code = `no sample ${parentEntity.names.original} can be made for "${property}"`;
        else {
          const parent = names.claim(relation.names.camel, parentEntity);
          code = { kind: 'reference', parent: parent.variable, serial: parent.serial };
        }
      } else if (binding.conversion === 'password-hash') {
        // A password stored as its hash: one that satisfies any password policy, never compared with what is stored.
        entries.push([property, { kind: 'literal', value: SAMPLE_PASSWORD }]);
        continue;
      } else if (field) {
        code = pickValue(propertySchema, field, required, isUnique(field, target.entity), ctx, options.variant === 1 ? previous?.fields.get(field.names.camel) : undefined);
      }
      if (code && typeof code !== 'string') sent.fields.set(binding.field, code);
    } else if (binding?.kind === 'value-object') {
      const valueObject = ctx.valueObjects.get(binding.valueObject) as ValueObject;
      const inner = buildObject(propertySchema, { fields: valueObject.fields }, binding.properties, [], ctx, names, { variant: options.variant }, undefined, previous?.objects.get(binding.field), undefined);
      if (typeof inner !== 'string' && valueObjectInvariantsHold(valueObject, sentValues(inner.sent, 1), ctx.valueObjects)) {
        code = inner.code;
        sent.objects.set(binding.field, inner.sent);
      } else code = typeof inner === 'string' ? inner : `the sample values break an invariant of ${valueObject.names.original}`;
    } else if (child) {
      const childEntity = ctx.entities.get(child.entity) as Entity;
      const items = ctx.reader.arrayItems(propertySchema);
      const inner = items === undefined ? 'its items are not described' : buildObject(items, { fields: childEntity.fields, entity: childEntity }, child.input, [], ctx, names, { variant: options.variant }, undefined, previous?.children.get(child.relation)?.sent, child.inverse);
      if (typeof inner !== 'string' && invariantsHold(childEntity, sentValues(inner.sent, 1), ctx.valueObjects)) {
        const count = Math.max(1, numberKeyword(propertySchema, 'minItems', ctx) ?? 1);
        code = { kind: 'array', items: Array.from({ length: count }, () => inner.code) };
        sent.children.set(child.relation, { sent: inner.sent, count });
      } else code = typeof inner === 'string' ? inner : `the sample values break an invariant of ${childEntity.names.original}`;
    } else if (required) {
      // Accepted and not stored (or outside the binding): any valid value does.
      code = pickValue(propertySchema, undefined, true, false, ctx, undefined);
    }
    if (code === undefined || typeof code === 'string') {
      if (required) {
        const unique = binding?.kind === 'field' && target.fields.some((f) => f.names.camel === binding.field && isUnique(f, target.entity));
        return typeof code === 'string' ? code : `no ${unique ? 'distinct values' : 'value'} for "${property}" ${unique ? 'fit' : 'fits'} both the spec and the model`;
      }
      continue;
    }
    entries.push([property, code]);
  }
  // Optional properties were sent where values were found; `minProperties` is checked with the whole body.
  if (minProperties !== undefined && entries.length < minProperties) return `its body needs ${minProperties} properties`;
  return { code: { kind: 'object', entries }, sent };
}

function numberKeyword(schema: JsonSchema, keyword: string, ctx: Context): number | undefined {
  const resolved = ctx.reader.resolve(schema);
  const value = resolved?.[keyword];
  return typeof value === 'number' ? value : undefined;
}

function isUnique(field: Field, entity: Entity | undefined): boolean {
  if (field.unique) return true;
  return entity?.indexes.some((i) => i.unique && i.fields.some((f) => camelCase(f) === field.names.camel)) ?? false;
}

/** A value for a property that the spec and the field both accept; unique fields get the test's running number. */
function pickValue(schema: JsonSchema, field: Field | undefined, required: boolean, unique: boolean, ctx: Context, differentFrom: Code | undefined): Code | undefined {
  const avoid = differentFrom?.kind === 'literal' ? JSON.stringify(differentFrom.value) : undefined;
  const fits = (value: unknown) => ctx.check(schema, value) && (!field || fitsField(field, value));
  for (const value of candidateValues(schema, field, ctx.valueObjects, ctx.lookup)) {
    if (value === null || JSON.stringify(value) === avoid) continue;
    if (unique) {
      if (typeof value !== 'string') continue;
      const variant = uniqueVariants(value).find((v) => RUNNING_NUMBERS.every((n) => fits(instantiate(v, n))));
      if (variant) return variant;
      continue;
    }
    if (fits(value)) return { kind: 'literal', value };
  }
  if (unique) {
    const spelled = spelledVariants(schema, field, ctx.lookup).find((v) => RUNNING_NUMBERS.every((n) => fits(instantiate(v, n))) && JSON.stringify(v) !== JSON.stringify(differentFrom));
    if (spelled) return spelled;
  }
  if (required && !unique && avoid === undefined && fits(null)) return { kind: 'literal', value: null };
  return undefined;
}

/** The values a body set, as the model's rules see them (`n` filled in). */
function sentValues(sent: Sent, n: number): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const [field, code] of sent.fields) values[field] = instantiate(code, n);
  for (const [field, inner] of sent.objects) values[field] = sentValues(inner, n);
  return values;
}

/**
 * The part of a representation a body determines: the fields it set (as the API shows them), and
 * with `defaults`, the defaults and empty values of the fields it left out.
 */
function expectedObject(shape: OutputShape, sent: Sent, fields: Field[], options: { defaults: boolean; state?: { field: string; value: string } }): Code {
  const entries: [string, Code][] = [];
  for (const property of shape.properties) {
    const code = expectedProperty(property, sent, fields, options);
    if (code) entries.push([property.property, code]);
  }
  return { kind: 'object', entries };
}

function expectedProperty(property: OutputProperty, sent: Sent, fields: Field[], options: { defaults: boolean; state?: { field: string; value: string } }): Code | undefined {
  switch (property.kind) {
    case 'field': {
      if (options.state?.field === property.field) return { kind: 'literal', value: options.state.value };
      const code = sent.fields.get(property.field);
      if (code) {
        if (property.conversion === 'none') return code;
        if (property.conversion === 'date-to-string' && code.kind === 'literal' && typeof code.value === 'string') return { kind: 'literal', value: new Date(code.value).toISOString() };
        return undefined;
      }
      const field = fields.find((f) => f.names.camel === property.field);
      if (!options.defaults || !field || field.derivedFrom || property.conversion !== 'none') return undefined;
      if (field.default !== undefined) return { kind: 'literal', value: field.default };
      if (!field.required && !property.omitWhenNull) return { kind: 'literal', value: null };
      return undefined;
    }
    case 'value-object': {
      const inner = sent.objects.get(property.field);
      if (!inner) return undefined;
      return expectedObject(property.shape, inner, [], { defaults: false });
    }
    case 'children': {
      const child = sent.children.get(property.relation);
      if (!child) return undefined;
      const item = expectedObject(property.shape, child.sent, [], { defaults: false });
      return { kind: 'array', items: Array.from({ length: child.count }, () => item) };
    }
    case 'links':
      return undefined;
  }
}

function outputPropertyOf(shape: OutputShape, field: string): string | undefined {
  return shape.properties.find((p): p is Extract<OutputProperty, { kind: 'field' }> => p.kind === 'field' && p.field === field && p.conversion === 'none')?.property;
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function article(name: string): string {
  return /^[AEIOU]/i.test(name) ? `an ${name}` : `a ${name}`;
}

/** One generated test file: the tests of one resource's implemented operations, with the helpers they need. */
class TestFile {
  private readonly groups: ApiTestGroup[] = [];
  private readonly omitted: string[] = [];
  private readonly helpers = new Map<string, string>();
  private readonly samples = new Set<string>();
  private readonly services = new Map<string, string>();
  /** Operations whose read-back a create test already covers (`getProduct` after `createProduct`). */
  private readonly readBack = new Set<string>();

  constructor(
    private readonly resource: Resource,
    private readonly ctx: Context,
    private readonly bound: Bound[],
    private readonly creatorOf: (entity: Entity) => Creator | string,
  ) {}

  add(op: Bound): void {
    const entity = this.ctx.entities.get(op.crud.entity) as Entity;
    const title = stringLiteral(`${op.operation.operationId}: ${op.operation.method.toUpperCase()} ${op.operation.path}`);
    if (op.untestable) {
      this.omit(op, op.untestable);
      return;
    }
    let cases: ApiTestCase[] | string;
    switch (op.crud.kind) {
      case 'create':
        cases = this.createCases(op, entity);
        break;
      case 'get':
        cases = this.getCases(op, entity);
        break;
      case 'list':
        cases = this.listCases(op, entity);
        break;
      case 'update':
      case 'replace':
        cases = op.crud.singleton && op.crud.kind === 'replace' ? this.upsertCases(op, entity) : this.changeCases(op, entity);
        break;
      case 'delete':
        cases = this.deleteCases(op, entity);
        break;
      case 'action':
        cases = this.actionCases(op, entity);
        break;
    }
    if (typeof cases === 'string') this.omit(op, cases);
    else if (cases.length > 0) this.groups.push({ title, cases: [...cases, ...this.policyCases(op, entity)] });
  }

  // ---- the domain model's policies ----

  /**
   * Per rule the tests can try (src/plan/policies/policy-tests.ts): its owner is admitted, and a
   * signed-in caller who owns nothing and holds no role is refused, as the spec's client would see it.
   */
  private policyCases(op: Bound, entity: Entity): ApiTestCase[] {
    const kind = op.crud.kind;
    if (!entity.policies || op.crud.singleton || op.crud.idField !== 'id' || !['get', 'list', 'create'].includes(kind)) return [];
    const action = kind === 'get' ? 'read' : kind;
    const rule = ruleFor(entity.policies, action);
    const creator = this.creator(entity);
    if (!rule || typeof creator === 'string') return [];
    // A role the operation itself requires is in every test token: a policy alternative for it admits everyone.
    const required = new Set(op.operation.security.flatMap((r) => r.schemes.flatMap((scheme) => scheme.scopes)));
    const probed = probeRule(rule, entity, this.ctx.entities);
    const probe = { ...probed, strangerRefused: probed.strangerRefused && !rolesIn(rule.expression).some((role) => required.has(role)) };
    const title = (text: string) => stringLiteral(`${action} policy (${rule.source}): ${text}`);
    const owner = probe.owner === undefined ? undefined : outputPropertyOf(creator.shape, probe.owner);
    const ownerCaller = owner && `{ subject: ${access('created', owner)}, roles: [] }`;
    if (kind === 'create') {
      if (creator.bound !== op || op.crud.scope) return [];
      const parents = creator.built.parents;
      const bodyArgs = `next()${parents.length > 0 ? `, { ${parents.map((p) => p.variable).join(', ')} }` : ''}`;
      const id = outputPropertyOf(creator.shape, 'id');
      if (bindsIdToCaller(entity) && entity.identity === 'uuid' && id) {
        // The rule binds a new row to its creator: a caller it admits no other way gets a row with their subject as id, once.
        const body = `${creator.bodyFunction}(${bodyArgs})`;
        return [
          {
            title: title(`a caller without a role creates ${article(entity.names.original)} whose id is their subject, once`),
            skipIf: this.skipIf([op]),
            body: [
              ...this.sampleParents(parents, creator.setup),
              `const caller = { subject: randomUUID(), roles: [] };`,
              `const created = ${this.data(op, this.call(op, op.crud.response.status, this.url(op, () => 'undefined'), body, 'caller'))};`,
              `expect(${access('created', id)}).toBe(caller.subject);`,
              ...(this.declares(op, 409) ? [`${this.call(op, 409, this.url(op, () => 'undefined'), body, 'caller')};`] : []),
            ].join('\n'),
          },
        ];
      }
      if (!probe.strangerRefused) return [];
      return [
        {
          title: title(`another caller may not create ${article(entity.names.original)}: 403`),
          skipIf: this.skipIf([op]),
          body: [...this.sampleParents(parents, creator.setup), `${this.call(op, 403, this.url(op, () => 'undefined'), `${creator.bodyFunction}(${bodyArgs})`, 'ANOTHER_CALLER')};`].join('\n'),
        },
      ];
    }
    if (kind === 'get') {
      const address = this.address(op, creator.shape, 'created');
      if (!address || !ownerCaller) return [];
      const url = this.url(op, address);
      const denied = entity.policies.onDenied === 'forbidden' ? 403 : 404;
      return [
        {
          title: title(probe.strangerRefused ? `its owner reads it; another caller gets ${denied}` : 'its owner reads it'),
          skipIf: this.skipIf([creator.bound, op]),
          body: [
            `const created = await ${creator.helper}();`,
            `${this.call(op, op.crud.response.status, url, undefined, ownerCaller)};`,
            ...(probe.strangerRefused ? [`${this.call(op, denied, url, undefined, 'ANOTHER_CALLER')};`] : []),
          ].join('\n'),
        },
      ];
    }
    const listedId = op.crud.response.shape && outputPropertyOf(op.crud.response.shape, 'id');
    const createdId = outputPropertyOf(creator.shape, 'id');
    if (op.crud.scope || !ownerCaller || !listedId || !createdId) return [];
    const url = this.url(op, () => 'undefined');
    const ids = (as: string) => `${this.listed(op, this.call(op, op.crud.response.status, url, undefined, as))}.map((item: Json) => ${access('item', listedId)})`;
    const cases: ApiTestCase[] = [
      {
        title: title(probe.strangerRefused ? 'lists it to its owner, not to another caller' : 'lists it to its owner'),
        skipIf: this.skipIf([creator.bound, op]),
        body: [
          `const created = await ${creator.helper}();`,
          `expect(${ids(ownerCaller)}).toContain(${access('created', createdId)});`,
          ...(probe.strangerRefused ? [`expect(${ids('ANOTHER_CALLER')}).not.toContain(${access('created', createdId)});`] : []),
        ].join('\n'),
      },
    ];
    const guarded = ownerFilter(op.crud, entity, this.ctx.entities, op.operation.responses.map((r) => r.status.toUpperCase()));
    const filtered = guarded && outputPropertyOf(creator.shape, guarded.filter.fields[0] as string);
    if (guarded && filtered && probe.strangerRefused) {
      // The owner filter as the request sends it, with the operation's other sample query values.
      const query = (value: string) => `query: { ${[...Object.entries(op.extra.query).map(([k, v]) => `${propertyKey(k)}: ${JSON.stringify(v)}`), `${propertyKey(guarded.filter.parameter)}: ${value}`].join(', ')} }`;
      const filteredCall = (status: number, as: string) => `await api.call(${status}, ${stringLiteral(op.operation.operationId)}, { url: ${url}, as: ${as}, ${query(access('created', filtered))} })`;
      cases.push({
        title: title(`its owner filters on ${guarded.filter.parameter}; another caller filtering on it gets 403`),
        skipIf: this.skipIf([creator.bound, op]),
        body: [
          `const created = await ${creator.helper}();`,
          `expect(${this.listed(op, filteredCall(op.crud.response.status, ownerCaller))}.map((item: Json) => ${access('item', listedId)})).toEqual([${access('created', createdId)}]);`,
          `${filteredCall(403, 'ANOTHER_CALLER')};`,
        ].join('\n'),
      });
    }
    return cases;
  }

  view(): ApiTestFile | undefined {
    if (this.groups.length === 0) return undefined;
    // Helpers the tests use (and the helpers those use); imports of what the text names.
    const tests = this.groups.flatMap((g) => g.cases.map((c) => `${c.skipIf}\n${c.body}`)).join('\n');
    const used = new Map<string, string>();
    for (let grown = true; grown; ) {
      grown = false;
      const text = `${tests}\n${[...used.values()].join('\n')}`;
      for (const [name, helper] of this.helpers) {
        if (!used.has(name) && new RegExp(`\\b${name}\\(`).test(text)) {
          used.set(name, helper);
          grown = true;
        }
      }
    }
    const helpers = [...this.helpers.keys()].filter((name) => used.has(name)).map((name) => used.get(name) as string);
    const text = `${tests}\n${helpers.join('\n')}`;
    const named = (name: string) => new RegExp(`\\b${name}\\b`).test(text);
    const fromSamples = [...(named('next') ? ['next'] : []), ...[...this.samples].sort().filter(named), ...(named('spellNumber') ? ['spellNumber'] : [])];
    const imports = [
      ...(named('randomUUID') ? [`import { randomUUID } from 'node:crypto';`] : []),
      `import { afterAll, beforeAll, describe, expect, it${named('vi') ? ', vi' : ''} } from 'vitest';`,
      `import { ApiClient, overridden${named('Json') ? ', type Json' : ''} } from '../support/api-client.js';`,
      ...(fromSamples.length > 0 ? [`import { ${fromSamples.join(', ')} } from '../support/samples.gen.js';`] : []),
      ...(named('ANOTHER_CALLER') ? [`import { ANOTHER_CALLER } from '../support/contract-client.js';`] : []),
      ...[...this.services.entries()].filter(([serviceClass]) => named(serviceClass)).sort().map(([serviceClass, fileStem]) => `import { ${serviceClass} } from '../../src/services/${fileStem}.service.js';`),
    ];
    return {
      fileStem: this.resource.names.kebab,
      title: stringLiteral(`${this.resource.names.kebab}: the implemented operations over HTTP`),
      resource: commentText(this.resource.names.original),
      omitted: this.omitted,
      imports,
      helpers,
      groups: this.groups,
    };
  }

  /**
   * An operation that declares an `Idempotency-Key` header (src/middlewares/idempotency.ts of the
   * project): a retry replays the first answer, the key with another body is refused, and of two
   * requests sent at once with one key exactly one runs.
   */
  private idempotencyCases(op: Bound, entity: Entity, creator: Creator, url: string, parents: Parent[], bodyArgs: string): ApiTestCase[] {
    const header = op.operation.parameters.find((p) => p.in === 'header' && p.name.toLowerCase() === IDEMPOTENCY_HEADER);
    // The tests' keys are UUIDs: a header schema that refuses one gets no tests.
    if (op.operation.idempotency === undefined || !header || !this.ctx.check(header.schema, '5f0c1d7e-1b9a-4d3c-8e2f-6a7b8c9d0e1f')) return [];
    const status = op.crud.response.status;
    const id = stringLiteral(op.operation.operationId);
    const conflict = this.declares(op, 409) ? 409 : 400;
    const keyed = (body: string) => this.request(op, url, body, undefined, `${stringLiteral(header.name)}: key`);
    const setup = ['const n = next();', ...this.sampleParents(parents, creator.setup), 'const key = randomUUID();', `const body = ${creator.bodyFunction}(${bodyArgs});`];
    const replay = [
      ...setup,
      `const first = await api.send(${status}, ${id}, ${keyed('body')});`,
      `const retry = await api.send(${status}, ${id}, ${keyed('body')});`,
      `expect(retry.headers['idempotent-replayed']).toBe('true');`,
      'expect(retry.json()).toEqual(first.json());',
    ];
    // Another body: the values the change tests send in place of the first ones.
    const other = buildBody(op, entity, this.ctx, new ParentNames(), { variant: 1, previous: creator.built.sent });
    const otherCode = typeof other === 'string' || !other.parents.every((p) => parents.some((q) => q.variable === p.variable)) ? undefined : renderCode(other.code, '');
    const reused = otherCode !== undefined && otherCode !== renderCode(creator.built.code, '');
    if (reused) replay.push(`await api.send(${conflict}, ${id}, ${keyed(otherCode)});`);
    const concurrent = [
      ...setup,
      `const answers = await Promise.all([api.attempt(${id}, ${keyed('body')}), api.attempt(${id}, ${keyed('body')})]);`,
      `expect(answers.filter((answer) => answer.statusCode === ${status} && answer.headers['idempotent-replayed'] === undefined)).toHaveLength(1);`,
      `for (const answer of answers) expect([${status}, ${conflict}]).toContain(answer.statusCode);`,
    ];
    const skipIf = this.skipIf([op]);
    return [
      { title: stringLiteral(`replays a retry with the same Idempotency-Key${reused ? `, and refuses the key with another body (${conflict})` : ''}`), skipIf, body: replay.join('\n') },
      { title: stringLiteral('runs two concurrent requests with one Idempotency-Key once'), skipIf, body: concurrent.join('\n') },
    ];
  }

  private omit(op: Bound, reason: string): void {
    this.omitted.push(commentText(`${op.operation.operationId}: ${reason}.`));
  }

  // ---- requests ----

  private url(op: Bound, values: (parameter: string) => string): string {
    const literal = pathLiteral(this.ctx.model.basePath, op.operation.path, values);
    return literal.includes('${') ? literal : stringLiteral(literal.slice(1, -1));
  }

  /** `header`: one more header, as a property of an object literal (`'Idempotency-Key': key`). */
  private request(op: Bound, url: string, body?: string, as?: string, header?: string): string {
    const parts = [`url: ${url}`];
    if (as !== undefined) parts.push(`as: ${as}`);
    if (Object.keys(op.extra.query).length > 0) parts.push(`query: ${JSON.stringify(op.extra.query)}`);
    if (header !== undefined) parts.push(`headers: { ${[...Object.entries(op.extra.headers).map(([name, value]) => `${stringLiteral(name)}: ${stringLiteral(value)}`), header].join(', ')} }`);
    else if (Object.keys(op.extra.headers).length > 0) parts.push(`headers: ${JSON.stringify(op.extra.headers)}`);
    if (body !== undefined) {
      parts.push(body === 'body' ? 'body' : `body: ${body}`);
      if (op.body && op.body.mediaType !== 'application/json') parts.push(`mediaType: ${stringLiteral(op.body.mediaType)}`);
    }
    return `{ ${parts.join(', ')} }`;
  }

  private call(op: Bound, status: number, url: string, body?: string, as?: string): string {
    this.services.set(op.serviceClass, op.resource.names.kebab);
    return `await api.call(${status}, ${stringLiteral(op.operation.operationId)}, ${this.request(op, url, body, as)})`;
  }

  /** The items of a list response body: in the envelope's `data` or the body, unwrapped from a pagination wrapper. */
  private listed(op: Bound, body: string): string {
    const data = this.data(op, body);
    const wrapper = op.crud.list?.wrapper;
    return wrapper ? access(grouped(data), wrapper.items) : data;
  }

  /** Where a list response gives a page value (its total, the next cursor): the envelope's meta or the wrapper. */
  private pageValue(op: Bound, body: string, value: PageValue): string | undefined {
    const list = op.crud.list;
    const inMeta = op.crud.response.envelope ? list?.meta.find((m) => m.value === value) : undefined;
    if (inMeta) return access(nested(`${body}.meta`, inMeta), inMeta.property);
    const inWrapper = list?.wrapper?.members.find((m) => m.value === value);
    return inWrapper && access(nested(grouped(this.data(op, body)), inWrapper), inWrapper.property);
  }

  /** Expectations of a list response's page values, one per place they are in (the envelope's meta, the wrapper). */
  private expectPage(op: Bound, body: string, expected: Partial<Record<PageValue, string>>): string[] {
    const list = op.crud.list;
    const places = [
      { at: `${body}.meta`, members: op.crud.response.envelope ? (list?.meta ?? []) : [] },
      { at: this.data(op, body), members: list?.wrapper?.members ?? [] },
    ];
    return places.flatMap(({ at, members }) => {
      // One expectation per object the values are in (`meta` of `{ data, meta: { total } }`).
      const byObject = new Map<string, string[]>();
      for (const m of members) {
        if (expected[m.value] === undefined) continue;
        const object = nested(at, m);
        byObject.set(object, [...(byObject.get(object) ?? []), `${propertyKey(m.property)}: ${expected[m.value]}`]);
      }
      return [...byObject].map(([object, entries]) => `expect(${object}).toMatchObject({ ${entries.join(', ')} });`);
    });
  }

  /** The representation in a response body: `data` of the envelope, else the body. */
  private data(op: Bound, expression: string): string {
    return op.crud.response.envelope ? `(${expression}).data` : expression;
  }

  private skipIf(ops: Bound[]): string {
    const byService = new Map<string, string[]>();
    for (const op of ops) {
      this.services.set(op.serviceClass, op.resource.names.kebab);
      const methods = byService.get(op.serviceClass) ?? [];
      if (!methods.includes(op.operation.methodName)) methods.push(op.operation.methodName);
      byService.set(op.serviceClass, methods);
    }
    return [...byService.entries()].map(([service, methods]) => `overridden(${service}, ${methods.map(stringLiteral).join(', ')})`).join(' || ');
  }

  /**
   * Whether the spec declares an error status with a JSON body (exactly, as a range or as `default`):
   * the contract check accepts a 409 only then (404 any API may add).
   */
  private declares(op: Bound, status: number): boolean {
    const keys = [String(status), `${String(status).charAt(0)}XX`, 'DEFAULT'];
    return op.operation.responses.some((r) => keys.includes(r.status.toUpperCase()) && r.contents.some((c) => c.kind === 'json'));
  }

  private missingId(entity: Entity): string {
    return this.ctx.repositories.get(entity.names.original)?.missingId ?? "'00000000-0000-4000-8000-000000000000'";
  }

  /** Whether a path parameter accepts a value (the tests' unknown ids must get past validation to reach the service). */
  private accepts(op: Bound, parameter: string, valueCode: string): boolean {
    const declared = op.operation.parameters.find((p) => p.in === 'path' && p.name === parameter);
    if (!declared) return false;
    const value: unknown = JSON.parse(valueCode.replace(/^'(.*)'$/, '"$1"'));
    return this.ctx.check(declared.schema, value) || this.ctx.check(declared.schema, String(value));
  }

  // ---- creating entities ----

  /** Declares the body function and the create helper of an entity's creator; returns the creator or why there is none. */
  private creator(entity: Entity): Creator | string {
    const creator = this.creatorOf(entity);
    if (typeof creator === 'string') return creator;
    if (!this.helpers.has(creator.bodyFunction)) {
      this.helpers.set(creator.bodyFunction, this.bodyFunction(creator.bound, creator.built));
    }
    if (!this.helpers.has(creator.helper)) {
      const scope = creator.scopeParent;
      const parents = [...creator.built.parents, ...(scope && !creator.built.parents.includes(scope) ? [scope] : [])];
      for (const parent of parents) this.samples.add(`sample${parent.entity.names.pascal}`);
      const parameterType = `{ ${parents.map((p) => `${p.variable}?: { id: ${p.serial ? 'number | null' : 'string'} }`).join('; ')} }`;
      const resolve = parents.map((p) => `const ${p.variable} = parents.${p.variable} ?? (await ${this.sampleCall(p, creator.setup)});`);
      // What a reaction acts on is stored with a parent made here (one given is the caller's to prepare).
      for (const companion of creator.setup.companions) {
        if (!parents.some((p) => p.variable === companion.parent)) continue;
        this.samples.add(companion.sample);
        resolve.push(`if (!parents.${companion.parent}) await ${companion.sample}(api.repositories, { ${companion.entries.join(', ')} });`);
      }
      const url = this.url(creator.bound, (parameter) => (scope && parameter === creator.bound.crud.scope?.parameter ? `${scope.variable}.id${scope.serial ? ' as number' : ''}` : 'undefined'));
      const bodyArgs = `next()${creator.built.parents.length > 0 ? `, { ${creator.built.parents.map((p) => p.variable).join(', ')} }` : ''}`;
      const what = creator.bound.crud.singleton ? `${capitalize(article(entity.names.original))} set through ${creator.bound.operation.operationId}` : `A new ${entity.names.original} through ${creator.bound.operation.operationId}`;
      this.helpers.set(
        creator.helper,
        [
          `/** ${what}${parents.length > 0 ? `, with new ${parents.map((p) => p.entity.names.original).join(' and ')} records unless given` : ''}. */`,
          `async function ${creator.helper}(${parents.length > 0 ? `parents: ${parameterType} = {}` : ''}): Promise<Json> {`,
          ...resolve,
          `return ${this.data(creator.bound, this.call(creator.bound, creator.bound.crud.response.status, url, `${creator.bodyFunction}(${bodyArgs})`))};`,
          '}',
        ].join('\n'),
      );
    }
    return creator;
  }

  private bodyFunction(op: Bound, built: Built): string {
    const parents = built.parents;
    const usesN = JSON.stringify(built.code).includes('"kind":"unique"');
    const parameters = [`${usesN ? '' : '_'}n: number`];
    if (parents.length > 0) parameters.push(`parents: { ${parents.map((p) => `${p.variable}: { id: ${p.serial ? 'number | null' : 'string'} }`).join('; ')} }`);
    return [
      `/** A valid body of ${op.operation.operationId}${usesN ? ' (unique fields carry the number n)' : ''}. */`,
      `function ${op.operation.methodName}Body(${parameters.join(', ')}): Json {`,
      `return ${renderCode(built.code, 'parents.')};`,
      '}',
    ].join('\n');
  }

  /**
   * Statements that make the parents of a body (sample records); with a create's setup, the parents
   * have the values its checks need and the records its reactions act on are stored too.
   */
  private sampleParents(parents: Parent[], setup?: CreateSetup): string[] {
    const lines = parents.map((p) => `const ${p.variable} = await ${this.sampleCall(p, setup)};`);
    for (const companion of setup?.companions ?? []) {
      if (!parents.some((p) => p.variable === companion.parent)) continue;
      this.samples.add(companion.sample);
      lines.push(`await ${companion.sample}(api.repositories, { ${companion.entries.join(', ')} });`);
    }
    return lines;
  }

  private sampleCall(parent: Parent, setup: CreateSetup | undefined): string {
    this.samples.add(`sample${parent.entity.names.pascal}`);
    const overrides = setup?.overrides.get(parent.variable);
    return `sample${parent.entity.names.pascal}(api.repositories${overrides ? `, { ${overrides.join(', ')} }` : ''})`;
  }

  /** How an operation addresses an entity of a representation: its id and parent from the representation's properties. */
  private address(op: Bound, shape: OutputShape, created: string): ((parameter: string) => string) | undefined {
    const values = new Map<string, string>();
    if (op.crud.idParameter !== undefined && !op.crud.singleton) {
      const id = outputPropertyOf(shape, 'id');
      if (!id) return undefined;
      values.set(op.crud.idParameter, access(created, id));
    }
    if (op.crud.scope) {
      const parent = outputPropertyOf(shape, `${op.crud.scope.relation}Id`);
      if (!parent) return undefined;
      values.set(op.crud.scope.parameter, access(created, parent));
    }
    return (parameter) => values.get(parameter) ?? 'undefined';
  }

  /** The address of an entity that does not exist (and, for nested paths, of a parent that does not). */
  private missingAddress(op: Bound, entity: Entity): ((parameter: string) => string) | undefined {
    const values = new Map<string, string>();
    if (op.crud.idParameter !== undefined && !op.crud.singleton) values.set(op.crud.idParameter, this.missingId(entity));
    if (op.crud.scope) values.set(op.crud.scope.parameter, this.missingId(this.ctx.entities.get(op.crud.scope.parentEntity) as Entity));
    for (const [parameter, value] of values) if (!this.accepts(op, parameter, value)) return undefined;
    return (parameter) => values.get(parameter) ?? 'undefined';
  }

  /** The get operation that reads an entity back, when the tests can send it. */
  private reader(entity: Entity, shape: OutputShape, created: string): { op: Bound; url: string } | undefined {
    const candidates = this.bound.filter((b) => b.crud.entity === entity.names.original && b.crud.kind === 'get' && !b.untestable);
    for (const op of candidates) {
      const address = this.address(op, shape, created);
      if (address) return { op, url: this.url(op, address) };
    }
    return undefined;
  }

  /** `expect(read).toEqual(x)` when both show the same representation, else a check of what the body set. */
  private readBackLines(entity: Entity, shape: OutputShape, created: string, expected: string, against: string): { lines: string[]; ops: Bound[] } {
    const reader = this.reader(entity, shape, created);
    if (!reader) return { lines: [], ops: [] };
    const same = reader.op.crud.response.shape?.name === shape.name;
    return {
      lines: [
        `const read = ${this.data(reader.op, this.call(reader.op, reader.op.crud.response.status, reader.url))};`,
        same ? `expect(read).toEqual(${against});` : `expect(read).toMatchObject(${expected});`,
      ],
      ops: [reader.op],
    };
  }

  // ---- the tests of each kind of operation ----

  private createCases(op: Bound, entity: Entity): ApiTestCase[] | string {
    const creator = op.crud.singleton ? 'a singleton child is created by its PUT' : makeCreator(entity, op, this.ctx);
    if (typeof creator === 'string') return creator;
    this.helpers.set(creator.bodyFunction, this.helpers.get(creator.bodyFunction) ?? this.bodyFunction(op, creator.built));
    const cases: ApiTestCase[] = [];
    const scope = creator.scopeParent;
    const parents = [...creator.built.parents, ...(scope ? [scope] : [])];
    const url = this.url(op, (parameter) => (scope && parameter === op.crud.scope?.parameter ? `${scope.variable}.id${scope.serial ? ' as number' : ''}` : 'undefined'));
    const bodyArgs = `n${creator.built.parents.length > 0 ? `, { ${creator.built.parents.map((p) => p.variable).join(', ')} }` : ''}`;
    // A gateway call that follows the creation (the development fakes answer its first outcome) moves the new record on.
    const call = this.ctx.domain.gatewayCalls.find((c) => c.trigger.entity === entity.names.original && c.trigger.on === 'created' && calledFor(c, entity, sentValuesOf(creator.built.sent)));
    const state = entity.stateMachine && { field: entity.stateMachine.field, value: call ? stateAfter(entity, call.outcomes[0]?.transition) : startState(entity) };
    const expected = renderCode(expectedObject(creator.shape, creator.built.sent, entity.fields, { defaults: true, state }));
    const lines = [`const n = next();`, ...this.sampleParents(parents, creator.setup)];
    lines.push(`const response = await api.send(${op.crud.response.status}, ${stringLiteral(op.operation.operationId)}, ${this.request(op, url, `${creator.bodyFunction}(${bodyArgs})`)});`);
    this.services.set(op.serviceClass, op.resource.names.kebab);
    lines.push(`const created: Json = ${op.crud.response.envelope ? 'response.json().data' : 'response.json()'};`, `expect(created).toMatchObject(${expected});`);
    const item = this.ctx.itemPaths.get(entity.names.original);
    const idProperty = outputPropertyOf(creator.shape, 'id');
    if (op.crud.response.location && item && idProperty) {
      lines.push(`expect(response.headers.location).toBe(${pathLiteral(this.ctx.model.basePath, item.path, () => access('created', idProperty))});`);
    }
    const readBack = this.readBackLines(entity, creator.shape, 'created', expected, 'created');
    lines.push(...readBack.lines);
    for (const reader of readBack.ops) this.readBack.add(reader.operation.operationId);
    const reads = readBack.ops.length > 0 ? ` and reads it back (${readBack.ops[0]?.operation.operationId})` : '';
    cases.push({ title: stringLiteral(`creates ${article(entity.names.original)} from a valid body${reads}`), skipIf: this.skipIf([op, ...readBack.ops]), body: lines.join('\n') });
    cases.push(...this.idempotencyCases(op, entity, creator, url, parents, bodyArgs));

    cases.push(...this.caseVariantCases(op, entity, creator, url, parents));

    if (op.crud.scope && scope) {
      const parentEntity = this.ctx.entities.get(op.crud.scope.parentEntity) as Entity;
      const missing = this.missingAddress({ ...op, crud: { ...op.crud, idParameter: undefined } }, entity);
      if (missing) {
        const values = (parameter: string) => (parameter === op.crud.scope?.parameter ? missing(parameter) : 'undefined');
        cases.push({
          title: stringLiteral(`answers 404 for an unknown ${parentEntity.names.original}`),
          skipIf: this.skipIf([op]),
          body: [`const n = next();`, ...this.sampleParents(creator.built.parents), `${this.call(op, 404, this.url(op, values), `${creator.bodyFunction}(${bodyArgs})`)};`].join('\n'),
        });
      }
    }
    return [...cases, ...this.effectCases(op, creator, parents, url, bodyArgs), ...(call ? this.gatewayCases(op, creator, parents, url, bodyArgs, call) : [])];
  }

  /**
   * A gateway call after a create, tried per outcome: the service's answer (a fake told what to say)
   * moves the new record to the transition's state, with the service's reason where the model keeps it.
   */
  private gatewayCases(op: Bound, creator: Creator, parents: Parent[], url: string, bodyArgs: string, call: GatewayCall): ApiTestCase[] {
    const entity = creator.entity;
    const gateway = this.ctx.domain.gateways.find((g) => g.names.original === call.gateway);
    const operation = gateway?.operations.find((o) => o.names.original === call.operation);
    const stateProperty = outputPropertyOf(creator.shape, entity.stateMachine?.field ?? '');
    if (!gateway || !operation || !stateProperty) return [];
    const reasonProperty = call.reasonProperty && outputPropertyOf(creator.shape, call.reasonProperty);
    return call.outcomes.map(({ outcome, transition }) => {
      const reason = `tested_${outcome}`;
      // The service's reason is kept for a failure, not for the success (the first outcome).
      const kept = outcome === call.outcomes[0]?.outcome ? 'null' : stringLiteral(reason);
      const expected = [`${propertyKey(stateProperty)}: ${stringLiteral(stateAfter(entity, transition))}`, ...(reasonProperty ? [`${propertyKey(reasonProperty)}: ${kept}`] : [])];
      const spy = `vi.spyOn(api.gateways.${gateway.names.camel}, ${stringLiteral(operation.names.camel)})`;
      return {
        title: stringLiteral(`${call.gateway}.${call.operation} answering ${outcome}: the new ${entity.names.original} is ${stateAfter(entity, transition)}`),
        skipIf: this.skipIf([op]),
        body: [
          `const n = next();`,
          ...this.sampleParents(parents, creator.setup),
          `const ${operation.names.camel} = ${spy}.mockClear().mockResolvedValueOnce({ outcome: ${stringLiteral(outcome)}, reason: ${stringLiteral(reason)} });`,
          `const created: Json = ${this.data(op, this.call(op, op.crud.response.status, url, `${creator.bodyFunction}(${bodyArgs})`))};`,
          `expect(${operation.names.camel}).toHaveBeenCalledOnce();`,
          `expect(created).toMatchObject({ ${expected.join(', ')} });`,
        ].join('\n'),
      };
    });
  }

  /**
   * The model's effects on a create, tried over HTTP: each reaction leaves the record it acts on changed
   * as the model says (stock reserved), and each check refuses a parent that breaks it, with its code.
   */
  private effectCases(op: Bound, creator: Creator, parents: Parent[], url: string, bodyArgs: string): ApiTestCase[] {
    const send = (status: number) => `${this.call(op, status, url, `${creator.bodyFunction}(${bodyArgs})`)}`;
    const reactions = creator.setup.companions.map((companion) => ({
      title: stringLiteral(`effect ${companion.description}`),
      skipIf: this.skipIf([op]),
      body: [
        `const n = next();`,
        ...this.sampleParents(parents, creator.setup),
        `${send(op.crud.response.status)};`,
        `expect(await api.repositories.${companion.repository}.findOne({ ${companion.reference}: ${companion.parent}.id })).toMatchObject({ ${companion.expected.join(', ')} });`,
      ].join('\n'),
    }));
    const checks = creator.setup.breaks.map((broken) => {
      // A status the operation does not declare is answered as a 400 (the spec is the contract); the code stays.
      const status = this.declares(op, broken.status) ? broken.status : 400;
      const overrides = new Map(creator.setup.overrides);
      overrides.set(broken.parent, (overrides.get(broken.parent) ?? []).map((entry) => (entry.startsWith(`${broken.property}:`) ? broken.entry : entry)));
      return {
        title: stringLiteral(`check ${broken.check}: refused with ${status} ${broken.code} when ${broken.parent}.${broken.entry.replace(': ', ' is ')}`),
        skipIf: this.skipIf([op]),
        body: [`const n = next();`, ...this.sampleParents(parents, { ...creator.setup, overrides }), `const refused = ${send(status)};`, `expect(JSON.stringify(refused)).toContain(${stringLiteral(JSON.stringify(broken.code))});`].join('\n'),
      };
    });
    return [...reactions, ...checks];
  }

  /**
   * `unique: ignore-case`: a second create whose value of such a field differs from a stored one only
   * in case (its other unique values new) answers 409, where the spec declares it and the upper-cased
   * value still fits the request schema.
   */
  private caseVariantCases(op: Bound, entity: Entity, creator: Creator, url: string, parents: Parent[]): ApiTestCase[] {
    if (!this.declares(op, 409) || !op.body) return [];
    const schema = op.body.schema;
    const bodyArgs = (n: string) => `${n}${creator.built.parents.length > 0 ? `, { ${creator.built.parents.map((p) => p.variable).join(', ')} }` : ''}`;
    for (const field of entity.fields.filter((f) => f.ignoreCase)) {
      const binding = op.crud.input.find((b) => b.kind === 'field' && b.field === field.names.camel && b.conversion === 'none');
      const sent = creator.built.sent.fields.get(field.names.camel);
      if (!binding || sent?.kind !== 'unique') continue;
      const fits = RUNNING_NUMBERS.every((n) => {
        const body = instantiate(creator.built.code, n) as Record<string, unknown>;
        const value = body[binding.property];
        return typeof value === 'string' && value.toUpperCase() !== value && this.ctx.check(schema, { ...(instantiate(creator.built.code, n + 1) as object), [binding.property]: value.toUpperCase() });
      });
      if (!fits) continue;
      const stored = access('first', binding.property);
      return [
        {
          title: stringLiteral(`refuses with 409 ${article(binding.property)} that differs from a stored one only in case`),
          skipIf: this.skipIf([op]),
          body: [
            ...this.sampleParents(parents),
            `const first: Json = ${creator.bodyFunction}(${bodyArgs('next()')});`,
            `${this.call(op, op.crud.response.status, url, 'first')};`,
            `${this.call(op, 409, url, `{ ...${creator.bodyFunction}(${bodyArgs('next()')}), ${propertyKey(binding.property)}: ${stored}.toUpperCase() }`)};`,
          ].join('\n'),
        },
      ];
    }
    return [];
  }

  private getCases(op: Bound, entity: Entity): ApiTestCase[] | string {
    const cases: ApiTestCase[] = [];
    const creator = this.creator(entity);
    if (op.crud.singleton) {
      const parentEntity = this.ctx.entities.get(op.crud.scope?.parentEntity ?? '') as Entity;
      if (this.ctx.sampled.has(parentEntity.names.pascal)) {
        const parent = new ParentNames().claim(op.crud.scope?.relation ?? 'parent', parentEntity);
        cases.push({
          title: stringLiteral(`answers 404 while the ${parentEntity.names.original} has no ${entity.names.original}`),
          skipIf: this.skipIf([op]),
          body: [...this.sampleParents([parent]), `${this.call(op, 404, this.url(op, () => `${parent.variable}.id${parent.serial ? ' as number' : ''}`))};`].join('\n'),
        });
      }
    }
    if (typeof creator !== 'string' && !this.readBack.has(op.operation.operationId)) {
      const address = this.address(op, creator.shape, 'created');
      if (address) {
        const same = op.crud.response.shape?.name === creator.shape.name;
        const expected = renderCode(expectedObject(creator.shape, creator.built.sent, entity.fields, { defaults: false }));
        cases.push({
          title: stringLiteral(`reads ${article(entity.names.original)} back as ${creator.bound.operation.operationId} left it`),
          skipIf: this.skipIf([creator.bound, op]),
          body: [
            `const created = await ${creator.helper}();`,
            `const read = ${this.data(op, this.call(op, op.crud.response.status, this.url(op, address)))};`,
            same ? 'expect(read).toEqual(created);' : `expect(read).toMatchObject(${expected});`,
          ].join('\n'),
        });
      }
    }
    const missing = this.missingAddress(op, entity);
    if (missing) {
      const what = op.crud.singleton ? `an unknown ${op.crud.scope?.parentEntity}` : `an unknown id`;
      cases.push({ title: stringLiteral(`answers 404 for ${what}`), skipIf: this.skipIf([op]), body: `${this.call(op, 404, this.url(op, missing))};` });
    }
    if (cases.length === 0) return typeof creator === 'string' ? creator : 'no request could address an entity';
    return cases;
  }

  private listCases(op: Bound, entity: Entity): ApiTestCase[] | string {
    const creator = this.creator(entity);
    if (typeof creator === 'string') return creator;
    const list = op.crud.list;
    if (!list) return 'it lists nothing';
    const query = op.operation.parameters.filter((p) => p.in === 'query');
    const defaulted = query.filter((p) => {
      const schema = this.ctx.reader.resolve(p.schema);
      return schema?.default !== undefined && !Object.values(list.paging ?? {}).includes(p.name) && p.name !== list.sort?.parameter;
    });
    if (defaulted.length > 0) return `its query parameter "${defaulted[0]?.name}" has a default that filters what it lists`;
    const requiredFilter = query.find((p) => p.required && !Object.values(list.paging ?? {}).includes(p.name) && p.name !== list.sort?.parameter);
    if (requiredFilter) return `it requires the query parameter "${requiredFilter.name}", which may filter out what the test creates`;
    const idProperty = outputPropertyOf(creator.shape, 'id');
    const listedId = op.crud.response.shape && outputPropertyOf(op.crud.response.shape, 'id');
    if (!idProperty || !listedId) return 'its representation does not show the id';
    const ids = (expression: string) => `${expression}.map((item: Json) => ${access('item', listedId)})`;
    const scope = op.crud.scope;
    if (scope) {
      // A nested list (`/customers/{customerId}/orders`): one entity of the parent, one of another.
      const reference = creator.built.sent.fields.get(`${scope.relation}Id`);
      const parent = reference?.kind === 'reference' ? [...creator.built.parents, ...(creator.scopeParent ? [creator.scopeParent] : [])].find((p) => p.variable === reference.parent) : undefined;
      if (!parent) return `${creator.bound.operation.operationId} does not take the ${scope.relation} it lists by`;
      const parentEntity = this.ctx.entities.get(scope.parentEntity) as Entity;
      const url = this.url(op, () => `${parent.variable}.id${parent.serial ? ' as number' : ''}`);
      const lines = [
        ...this.sampleParents([parent]),
        `const own = await ${creator.helper}({ ${parent.variable} });`,
        `await ${creator.helper}();`,
        `const list = ${this.call(op, op.crud.response.status, url)};`,
        `expect(${ids(this.listed(op, 'list'))}).toEqual([${access('own', idProperty)}]);`,
      ];
      lines.push(...this.expectPage(op, 'list', { total: '1' }));
      const cases: ApiTestCase[] = [{ title: stringLiteral(`lists the ${plural(entity.names.original)} of one ${parentEntity.names.original}, and only those`), skipIf: this.skipIf([creator.bound, op]), body: lines.join('\n') }];
      const missing = this.missingAddress(op, entity);
      if (missing) cases.push({ title: stringLiteral(`answers 404 for an unknown ${parentEntity.names.original}`), skipIf: this.skipIf([op]), body: `${this.call(op, 404, this.url(op, missing))};` });
      return cases;
    }
    const url = this.url(op, () => 'undefined');
    const paging = list.paging;
    const lines: string[] = [];
    const withQuery = (q: Record<string, string>) => ({ ...op, extra: { ...op.extra, query: { ...op.extra.query, ...q } } });
    const sizeParameter = paging?.style === 'page' ? paging.size : paging?.limit;
    const sizeSchema = op.operation.parameters.find((p) => p.in === 'query' && p.name === sizeParameter)?.schema;
    const nextCursor = this.pageValue(op, 'body', 'nextCursor');
    const pageable = paging !== undefined && sizeSchema !== undefined && this.ctx.check(sizeSchema, 1) && (paging.style !== 'cursor' || nextCursor !== undefined);
    const total = this.pageValue(op, 'first', 'total');
    const before = total && this.pageValue(op, `(${this.call(withQuery({ [sizeParameter as string]: '1' }), op.crud.response.status, url)})`, 'total');
    if (pageable && before) lines.push(`const before: number = ${before};`);
    lines.push(`const first = await ${creator.helper}();`, `const second = await ${creator.helper}();`);
    if (pageable && paging) {
      const firstPage = paging.style === 'page' ? { [paging.page]: '1', [paging.size]: '1' } : paging.style === 'offset' ? { [paging.offset]: '0', [paging.limit]: '1' } : { [paging.limit]: '1' };
      lines.push(`const page = ${this.call(withQuery(firstPage), op.crud.response.status, url)};`);
      lines.push(`expect(${this.listed(op, 'page')}).toHaveLength(1);`);
      const expected: Partial<Record<PageValue, string>> = { page: '1', size: '1', offset: '0', hasMore: 'true', ...(total && { total: 'before + 2', totalPages: 'before + 2' }) };
      lines.push(...this.expectPage(op, 'page', expected));
      const pagingArgument =
        paging.style === 'page'
          ? `{ page: ${stringLiteral(paging.page)}, size: ${stringLiteral(paging.size)} }`
          : paging.style === 'offset'
            ? `{ offset: ${stringLiteral(paging.offset)}, limit: ${stringLiteral(paging.limit)} }`
            : `{ cursor: ${stringLiteral(paging.cursor)}, limit: ${stringLiteral(paging.limit)}, next: (body: Json) => ${nextCursor} }`;
      const largest = largestSize(sizeSchema as JsonSchema, this.ctx);
      this.services.set(op.serviceClass, op.resource.names.kebab);
      lines.push(`const all = await api.collect(${op.crud.response.status}, ${stringLiteral(op.operation.operationId)}, ${this.request(op, url)}, ${pagingArgument}, ${largest}, (body: Json) => ${this.listed(op, 'body')});`);
    } else {
      lines.push(`const all: Json[] = ${this.listed(op, this.call(op, op.crud.response.status, url))};`);
    }
    lines.push(`expect(${ids('all')}).toEqual(expect.arrayContaining([${access('first', idProperty)}, ${access('second', idProperty)}]));`);
    const how = pageable ? (total ? ' a page at a time, with their total' : ' a page at a time') : '';
    const cases: ApiTestCase[] = [{ title: stringLiteral(`lists the ${plural(entity.names.original)} it created${how}`), skipIf: this.skipIf([creator.bound, op]), body: lines.join('\n') }];
    if (paging?.style === 'cursor') {
      const forged = Buffer.from('{"offset":-1}').toString('base64url');
      const cursorSchema = op.operation.parameters.find((p) => p.in === 'query' && p.name === paging.cursor)?.schema;
      if (!this.declares(op, 400)) this.omit(op, 'no test of a forged cursor: the spec declares no 400 with a body for it, which the contract check requires');
      else if (cursorSchema !== undefined && this.ctx.check(cursorSchema, forged)) {
        const body = `${this.call(withQuery({ [paging.cursor]: forged }), 400, url)};`;
        cases.push({ title: stringLiteral('answers 400 for a cursor it did not issue'), skipIf: this.skipIf([op]), body });
      }
    }
    return cases;
  }

  /** PATCH (only what is sent changes; a stale version is a 409) and PUT (every field replaced). */
  private changeCases(op: Bound, entity: Entity): ApiTestCase[] | string {
    const creator = this.creator(entity);
    const cases: ApiTestCase[] = [];
    if (typeof creator !== 'string') {
      const address = this.address(op, creator.shape, 'created');
      if (!address) return 'its path cannot be filled from the representation';
      const url = this.url(op, address);
      const versionExpression = op.crud.versionProperty ? this.versionOf(creator, entity, 'created') : { lines: [], code: undefined, current: undefined };
      const change = op.crud.kind === 'update' ? this.patchBody(op, entity, creator, versionExpression.code) : this.putBody(op, entity, creator, versionExpression.code);
      if (typeof change === 'string') return change;
      const reader = this.reader(entity, creator.shape, 'created');
      const same = op.crud.response.shape?.name === creator.shape.name;
      const lines = [`const created = await ${creator.helper}();`, ...versionExpression.lines, ...(change.usesN ? ['const n = next();'] : []), ...this.sampleParents(change.parents)];
      const result = op.crud.kind === 'update' ? 'updated' : 'replaced';
      lines.push(`const ${result} = ${this.data(op, this.call(op, op.crud.response.status, url, change.body))};`);
      if (op.crud.kind === 'update' && same && change.expectedEqual) lines.push(`expect(${result}).toEqual(${change.expectedEqual(result)});`);
      else lines.push(`expect(${result}).toMatchObject(${change.expected});`);
      if (reader) {
        const readSame = reader.op.crud.response.shape?.name === op.crud.response.shape?.name;
        lines.push(`const read = ${this.data(reader.op, this.call(reader.op, reader.op.crud.response.status, reader.url))};`, readSame ? `expect(read).toEqual(${result});` : `expect(read).toMatchObject(${change.expected});`);
      }
      const audited = this.auditCheck(op, entity, creator.built.sent, change.sent, undefined);
      lines.push(...audited);
      const title = `${op.crud.kind === 'update' ? `changes only the fields it is sent (${change.what})` : `replaces the fields of ${article(entity.names.original)}`}${audited.length > 0 ? ', keeping the change in the audit log' : ''}`;
      cases.push({ title: stringLiteral(title), skipIf: this.skipIf([creator.bound, op, ...(reader ? [reader.op] : [])]), body: lines.join('\n') });
      if (op.crud.kind === 'update') cases.push(...this.updateReactionCases(op, entity, creator, url));
      cases.push(...this.changeRefusalCases(op, entity, 'update', { body: change.body, prelude: [...(change.usesN ? ['const n = next();'] : []), ...this.sampleParents(change.parents)] }));

      if (op.crud.versionProperty && versionExpression.current && !this.declares(op, 409)) {
        this.omit(op, 'no stale-version test: the spec declares no 409 with a body for it, which the contract check requires');
      } else if (op.crud.versionProperty && versionExpression.current) {
        const stale = op.crud.kind === 'update' ? this.patchBody(op, entity, creator, { kind: 'expression', code: `${versionExpression.current} + 1`, sample: 2 }) : this.putBody(op, entity, creator, { kind: 'expression', code: `${versionExpression.current} + 1`, sample: 2 });
        if (typeof stale !== 'string') {
          const staleLines = [`const created = await ${creator.helper}();`, ...versionExpression.lines, ...(stale.usesN ? ['const n = next();'] : []), ...this.sampleParents(stale.parents), `${this.call(op, 409, url, stale.body)};`];
          if (reader) staleLines.push(`const read = ${this.data(reader.op, this.call(reader.op, reader.op.crud.response.status, reader.url))};`, reader.op.crud.response.shape?.name === creator.shape.name ? 'expect(read).toEqual(created);' : `expect(read).toMatchObject(${renderCode(expectedObject(creator.shape, creator.built.sent, entity.fields, { defaults: false }))});`);
          cases.push({ title: stringLiteral('refuses a stale version with 409 and changes nothing'), skipIf: this.skipIf([creator.bound, op, ...(reader ? [reader.op] : [])]), body: staleLines.join('\n') });
        }
      }
    }
    const missing = this.missingAddress(op, entity);
    if (missing) {
      const body = op.crud.kind === 'update' && typeof creator !== 'string' ? this.patchBody(op, entity, creator, { kind: 'literal', value: 1 }) : this.putBody(op, entity, typeof creator === 'string' ? undefined : creator, { kind: 'literal', value: 1 });
      if (typeof body !== 'string') {
        cases.push({
          title: stringLiteral(`answers 404 for ${op.crud.singleton ? `an unknown ${op.crud.scope?.parentEntity}` : 'an unknown id'}`),
          skipIf: this.skipIf([op]),
          body: [...(body.usesN ? ['const n = next();'] : []), ...this.sampleParents(body.parents), `${this.call(op, 404, this.url(op, missing), body.body)};`].join('\n'),
        });
      }
    }
    if (cases.length === 0) return typeof creator === 'string' ? creator : 'no valid request body could be derived';
    return cases;
  }

  /**
   * The model's reactions to an update that a PATCH can set off (`on: User.updated`, `when: status ==
   * 'suspended'`, a method called on each related record): a related record is stored, the PATCH sends
   * the value that makes `when` hold, and the record is read back changed as the method says. Reactions
   * whose condition, records or effect cannot be derived this way get no test.
   */
  private updateReactionCases(op: Bound, entity: Entity, creator: Creator, url: string): ApiTestCase[] {
    const body = op.body && this.ctx.reader.objectShape(op.body.schema);
    const id = outputPropertyOf(creator.shape, 'id');
    if (!body || !id || op.crud.versionProperty) return [];
    return this.ctx.domain.reactions.flatMap((reaction): ApiTestCase[] => {
      const { when, forEach, action } = reaction;
      if (reaction.trigger.entity !== entity.names.original || reaction.trigger.on !== 'updated' || !when || !forEach || action.kind !== 'call' || action.hops.length > 0) return [];
      const related = this.ctx.entities.get(forEach.entity) as Entity;
      const method = related.methods.find((m) => m.names.original === action.member);
      if (!method || method.parameters.length > 0 || !this.ctx.sampled.has(related.names.pascal)) return [];
      // `when` is `<field> == <literal>`, and the PATCH can send that value.
      const sides = when.expression.kind === 'binary' && when.expression.operator === '==' ? [when.expression.left, when.expression.right] : [];
      const fieldSide = sides.find((e) => e.kind === 'field');
      const literalSide = sides.find((e) => e.kind === 'literal');
      if (fieldSide?.kind !== 'field' || literalSide?.kind !== 'literal') return [];
      const binding = op.crud.input.find((i) => i.kind === 'field' && i.conversion === 'none' && entity.fields.find((f) => f.names.camel === i.field)?.names.original === fieldSide.name);
      const schema = binding && body.properties.get(binding.property);
      const required = [...body.required].filter((p) => p !== binding?.property);
      if (!binding || schema === undefined || required.length > 0 || !this.ctx.check(op.body?.schema as JsonSchema, { [binding.property]: literalSide.value })) return [];
      // The created entity does not meet `when` yet, and the stored record is one the reaction acts on.
      const field = entity.fields.find((f) => f.names.camel === binding.field) as Field;
      const current = creator.built.sent.fields.get(field.names.camel) ?? (field.default !== undefined ? { kind: 'literal' as const, value: field.default } : undefined);
      if (current?.kind !== 'literal' || current.value === literalSide.value) return [];
      const recordValues = Object.fromEntries(related.fields.map((f) => [f.names.original, f.default ?? (f.required ? undefined : null)]));
      if (forEach.where && evaluate(forEach.where.expression, recordValues) !== true) return [];
      // What the method leaves: a stamped time, or a literal.
      const expectations: string[] = [];
      for (const assignment of method.assignments) {
        const e = assignment.expression;
        if (e.kind === 'field' && e.name === 'now' && !related.fields.some((f) => f.names.original === 'now')) expectations.push(`expect(after.${assignment.property}).toEqual(expect.any(Date));`);
        else if (e.kind === 'literal') expectations.push(`expect(after.${assignment.property}).toEqual(${JSON.stringify(e.value)});`);
        else return [];
      }
      this.samples.add(`sample${related.names.pascal}`);
      const named = camelCase(related.names.original, 'record');
      const record = ['created', 'after', 'api', 'n'].includes(named) || RESERVED_WORDS.has(named) ? `${named}Record` : named;
      const repository = `api.repositories.${repositoryProperty(related)}`;
      const lines = [
        `const created = await ${creator.helper}();`,
        `const ${record} = await sample${related.names.pascal}(api.repositories, { ${forEach.reference}: ${access('created', id)} });`,
        `${this.call(op, op.crud.response.status, url, `{ ${propertyKey(binding.property)}: ${JSON.stringify(literalSide.value)} }`)};`,
        `const after = await ${repository}.getById(${record}.${related.identity === 'serial' ? 'storedId' : 'id'});`,
        ...expectations,
      ];
      const title = `sets off the reaction to an update that makes ${when.source} hold: ${action.member}() on each of its ${forEach.relation}`;
      return [{ title: stringLiteral(title), skipIf: this.skipIf([creator.bound, op]), body: lines.join('\n') }];
    });
  }

  /**
   * The model's refusals of a change while a condition on the row holds (`changesRefusedWhile`): a record
   * stored in a state where it holds is refused with 409 and the design's code, and stays as it was.
   */
  private changeRefusalCases(op: Bound, entity: Entity, action: 'update' | 'delete', request: { body: string | undefined; prelude: string[] }): ApiTestCase[] {
    const sample = sampleFields(entity.fields, this.ctx.valueObjects);
    if (!sample || op.crud.scope || op.crud.singleton || op.crud.idField !== 'id' || op.crud.idParameter === undefined || op.crud.versionProperty || !this.ctx.sampled.has(entity.names.pascal) || !this.declares(op, 409)) return [];
    return changeRefusalsOf(entity, action).flatMap((refusal): ApiTestCase[] => {
      const states = refusalStates(entity, refusal, sample);
      if (!states) return [];
      this.samples.add(`sample${entity.names.pascal}`);
      const overrides = Object.entries(states.refused).map(([name, value]) => `${name}: ${JSON.stringify(value)}`).join(', ');
      const id = entity.identity === 'serial' ? 'stored.storedId' : 'stored.id';
      const url = this.url(op, (parameter) => (parameter === op.crud.idParameter ? id : 'undefined'));
      const lines = [
        `const stored = await sample${entity.names.pascal}(api.repositories, { ${overrides} });`,
        ...request.prelude,
        `const refused = ${this.call(op, 409, url, request.body)};`,
        `expect(JSON.stringify(refused)).toContain(${stringLiteral(JSON.stringify(refusal.code))});`,
        `expect((await api.repositories.${repositoryProperty(entity)}.getById(${id})).toProps()).toEqual(stored.toProps());`,
      ];
      const verb = action === 'delete' ? 'delete' : op.crud.kind === 'replace' ? 'replace' : 'change';
      return [{ title: stringLiteral(`refuses to ${verb} ${article(entity.names.original)} while ${refusal.when.source}, with 409 ${refusal.code}`), skipIf: this.skipIf([op]), body: lines.join('\n') }];
    });
  }

  /** The entity's current version: from its representation, else from its repository. */
  private versionOf(creator: Creator, entity: Entity, created: string): { lines: string[]; code: Code | undefined; current: string | undefined } {
    if (!entity.versioned) return { lines: [], code: undefined, current: undefined };
    const property = outputPropertyOf(creator.shape, 'version');
    if (property) return { lines: [], code: { kind: 'expression', code: access(created, property), sample: 1 }, current: access(created, property) };
    const id = outputPropertyOf(creator.shape, 'id');
    if (!id) return { lines: [], code: undefined, current: undefined };
    return {
      lines: [`const { version } = await api.repositories.${repositoryProperty(entity)}.getById(${access(created, id)});`],
      code: { kind: 'expression', code: 'version', sample: 1 },
      current: 'version',
    };
  }

  /** A PATCH body that changes one field the representation shows, plus what the representation must then be. */
  private patchBody(op: Bound, entity: Entity, creator: Creator, version: Code | undefined): ChangeBody | string {
    const body = op.body;
    if (!body) return 'it has no JSON request body';
    if (op.crud.versionProperty && !version) return 'the entity\'s version cannot be read';
    const shape = this.ctx.reader.objectShape(body.schema);
    if (!shape) return 'its request body is not an object';
    const computedFields = new Set(entity.computed.flatMap((c) => [...fieldsOf(c.expression)]));
    const required = [...shape.required].filter((p) => p !== op.crud.versionProperty);
    const fieldOf = (binding: InputProperty) => entity.fields.find((f) => f.names.camel === binding.field);
    // Plain fields first: a changed name reads better than a changed unique code.
    const bindings = [...op.crud.input].sort((a, b) => Number(isUnique(fieldOf(a) as Field, entity)) - Number(isUnique(fieldOf(b) as Field, entity)));
    for (const binding of bindings) {
      if (binding.kind !== 'field' || binding.conversion !== 'none' || computedFields.has(binding.field)) continue;
      if (required.some((p) => p !== binding.property)) continue;
      const field = fieldOf(binding);
      const output = outputPropertyOf(creator.shape, binding.field);
      if (!field || !output || entity.stateMachine?.field === field.names.camel) continue;
      const unique = isUnique(field, entity);
      // The value it has now: what the create sent, else its default, else empty.
      const current: Code | undefined = creator.built.sent.fields.get(field.names.camel) ?? (field.default !== undefined ? { kind: 'literal', value: field.default } : field.required ? undefined : { kind: 'literal', value: null });
      if (!unique && current?.kind !== 'literal') continue;
      const value = pickValue(shape.properties.get(binding.property) as JsonSchema, field, false, unique, this.ctx, current);
      if (!value) continue;
      const entries: [string, Code][] = [...(op.crud.versionProperty && version ? [[op.crud.versionProperty, version] as [string, Code]] : []), [binding.property, value]];
      const code: Code = { kind: 'object', entries };
      if (!RUNNING_NUMBERS.every((n) => this.ctx.check(body.schema, instantiate(code, n)))) continue;
      const values = { ...sentValuesOf(creator.built.sent), [field.names.camel]: instantiate(value, 1) };
      if (!invariantsHold(entity, values, this.ctx.valueObjects)) continue;
      const rendered = renderCode(value);
      const volatile = creator.shape.properties.flatMap((p) => (p.kind === 'field' && (p.field === 'updatedAt' || p.field === 'version') ? [p] : []));
      return {
        body: renderCode(code),
        code,
        sent: { ...emptySent(), fields: new Map([[field.names.camel, value]]) },
        usesN: value.kind === 'unique',
        parents: [],
        what: binding.property,
        expected: `{ ${propertyKey(output)}: ${rendered} }`,
        expectedEqual: (result) =>
          `{ ...created, ${[`${propertyKey(output)}: ${rendered}`, ...volatile.map((p) => `${propertyKey(p.property)}: ${p.field === 'version' ? `${access('created', p.property)} + 1` : access(result, p.property)}`)].join(', ')} }`,
      };
    }
    return 'no field it can change could be given a second valid value';
  }

  /** A PUT body with values that differ from the created entity's where the spec and the model allow. */
  private putBody(op: Bound, entity: Entity, creator: Creator | undefined, version: Code | undefined): ChangeBody | string {
    if (op.crud.versionProperty && !version) return 'the entity\'s version cannot be read';
    const names = new ParentNames();
    const built = buildBody({ ...op, crud: { ...op.crud } }, entity, this.ctx, names, { variant: 1, previous: creator?.built.sent, ...(version && { version }) });
    if (typeof built === 'string') return built;
    const values = { ...(creator ? sentValuesOf(creator.built.sent) : {}), ...sentValuesOf(built.sent) };
    if (!invariantsHold(entity, values, this.ctx.valueObjects)) return `the sample values break an invariant of ${entity.names.original}`;
    const shape = op.crud.response.shape;
    return {
      body: renderCode(built.code),
      code: built.code,
      sent: built.sent,
      usesN: JSON.stringify(built.code).includes('"kind":"unique"'),
      parents: built.parents,
      what: 'every field',
      expected: shape ? renderCode(expectedObject(shape, built.sent, entity.fields, { defaults: false })) : '{}',
      expectedEqual: undefined,
    };
  }

  /**
   * A body that also sends the reason the model's mapping names (`auditReason`) for the audit record,
   * where the request schema takes a plain text there; undefined otherwise.
   */
  private withAuditReason(op: Bound, entity: Entity, code: Code): { code: Code; text: string } | undefined {
    const property = op.crud.auditReason;
    if (!entity.audited || property === undefined || code.kind !== 'object' || !op.body) return undefined;
    const text = 'Kept in the audit log';
    const withReason: Code = { kind: 'object', entries: [...code.entries, [property, { kind: 'literal', value: text }]] };
    return RUNNING_NUMBERS.every((n) => this.ctx.check(op.body?.schema as JsonSchema, instantiate(withReason, n))) ? { code: withReason, text } : undefined;
  }

  /**
   * For an audited entity: the newest audit record of the entity is the change the test just made, by
   * the caller, with a field it changed before and after (and the reason sent). Nothing for others, or
   * when no plain field changed from one literal value to another.
   */
  private auditCheck(op: Bound, entity: Entity, before: Sent, after: Sent, reason: string | undefined): string[] {
    if (!entity.audited) return [];
    const literal = (code: Code | undefined) => (code?.kind === 'literal' && ['string', 'number', 'boolean'].includes(typeof code.value) ? code : undefined);
    const plain = new Set(['string', 'text', 'integer', 'number', 'boolean', 'enum']);
    const changed = entity.fields.flatMap((field) => {
      if (field.secret || typeof field.type !== 'string' || !plain.has(field.type)) return [];
      const was = literal(before.fields.get(field.names.camel) ?? (field.default === undefined ? undefined : { kind: 'literal', value: field.default }));
      const now = literal(after.fields.get(field.names.camel));
      return was && now && was.value !== now.value ? [{ field, was: was.value, now: now.value }] : [];
    })[0];
    if (!changed) return [];
    const signedIn = op.operation.security.length > 0 && op.operation.security.every((r) => r.schemes.length > 0);
    const expected = [
      "action: 'update'",
      ...(signedIn ? ['actor: expect.any(String)'] : []),
      ...(reason === undefined ? [] : [`reason: ${stringLiteral(reason)}`]),
      `changes: { ${propertyKey(changed.field.names.camel)}: { before: ${JSON.stringify(changed.was)}, after: ${JSON.stringify(changed.now)} } }`,
    ];
    return [`const [record] = await api.auditRecords(${stringLiteral(entity.names.original)});`, `expect(record).toMatchObject({ ${expected.join(', ')} });`];
  }

  /** PUT on a singleton child: set when absent, replaced when present; 404 for an unknown parent. */
  private upsertCases(op: Bound, entity: Entity): ApiTestCase[] | string {
    const creator = makeCreator(entity, op, this.ctx);
    if (typeof creator === 'string') return creator;
    const scope = creator.scopeParent;
    if (!scope) return 'it has no parent in its path';
    this.helpers.set(creator.bodyFunction, this.helpers.get(creator.bodyFunction) ?? this.bodyFunction(op, creator.built));
    const url = this.url(op, () => `${scope.variable}.id${scope.serial ? ' as number' : ''}`);
    const bodyArgs = (n: string) => `${n}${creator.built.parents.length > 0 ? `, { ${creator.built.parents.map((p) => p.variable).join(', ')} }` : ''}`;
    const second = this.putBody(op, entity, creator, undefined);
    const shape = creator.shape;
    const expected = renderCode(expectedObject(shape, creator.built.sent, entity.fields, { defaults: false }));
    const lines = [...this.sampleParents([...creator.built.parents, scope]), `const set = ${this.data(op, this.call(op, op.crud.response.status, url, `${creator.bodyFunction}(${bodyArgs('next()')})`))};`, `expect(set).toMatchObject(${expected});`];
    const reader = this.reader(entity, shape, 'set');
    if (reader) lines.push(`expect(${this.data(reader.op, this.call(reader.op, reader.op.crud.response.status, reader.url))}).toEqual(set);`);
    let audited: string[] = [];
    if (typeof second !== 'string') {
      if (second.usesN) lines.push('const n = next();');
      const reason = this.withAuditReason(op, entity, second.code);
      lines.push(...this.sampleParents(second.parents), `const replaced = ${this.data(op, this.call(op, op.crud.response.status, url, reason ? renderCode(reason.code) : second.body))};`, `expect(replaced).toMatchObject(${second.expected});`);
      if (reader) lines.push(`expect(${this.data(reader.op, this.call(reader.op, reader.op.crud.response.status, reader.url))}).toEqual(replaced);`);
      audited = this.auditCheck(op, entity, creator.built.sent, second.sent, reason?.text);
      lines.push(...audited);
    }
    const parentEntity = scope.entity.names.original;
    const cases: ApiTestCase[] = [
      {
        title: stringLiteral(`sets the ${entity.names.original} of ${article(parentEntity)}${typeof second !== 'string' ? ', then replaces it' : ''}${audited.length > 0 ? ', keeping the change in the audit log' : ''}`),
        skipIf: this.skipIf([op, ...(reader ? [reader.op] : [])]),
        body: lines.join('\n'),
      },
    ];
    const missing = this.missingAddress(op, entity);
    if (missing) {
      cases.push({
        title: stringLiteral(`answers 404 for an unknown ${parentEntity}`),
        skipIf: this.skipIf([op]),
        body: [...this.sampleParents(creator.built.parents), `${this.call(op, 404, this.url(op, missing), `${creator.bodyFunction}(${bodyArgs('next()')})`)};`].join('\n'),
      });
    }
    return cases;
  }

  private deleteCases(op: Bound, entity: Entity): ApiTestCase[] | string {
    const creator = this.creator(entity);
    const cases: ApiTestCase[] = [];
    // Parts created with the entity must go with it, or the delete is (rightly) refused.
    const blocking = typeof creator === 'string' ? undefined : creator.bound.crud.childInputs.find((child) => {
      const inverse = this.ctx.entities.get(child.entity)?.relations.find((r) => r.names.camel === child.inverse);
      return inverse?.onDelete !== 'cascade';
    });
    if (typeof creator !== 'string' && blocking) {
      this.omit(op, `no test of a delete: ${entity.names.original} is created with its ${blocking.property}, which do not go with it (onDelete is not cascade)`);
    } else if (typeof creator !== 'string') {
      const address = this.address(op, creator.shape, 'created');
      if (address) {
        const url = this.url(op, address);
        const reader = this.reader(entity, creator.shape, 'created');
        const lines = [`const created = await ${creator.helper}();`, `${this.call(op, op.crud.response.status, url)};`];
        if (reader) lines.push(`${this.call(reader.op, 404, reader.url)};`);
        else lines.push(`${this.call(op, 404, url)};`);
        cases.push({ title: stringLiteral(`deletes ${article(entity.names.original)}, which is then gone`), skipIf: this.skipIf([creator.bound, op, ...(reader ? [reader.op] : [])]), body: lines.join('\n') });
        cases.push(...this.refusalCases(op, entity, creator, url));
      }
    }
    cases.push(...this.changeRefusalCases(op, entity, 'delete', { body: undefined, prelude: [] }));
    const missing = this.missingAddress(op, entity);
    if (missing) cases.push({ title: stringLiteral('answers 404 for an unknown id'), skipIf: this.skipIf([op]), body: `${this.call(op, 404, this.url(op, missing))};` });
    if (cases.length === 0) return typeof creator === 'string' ? creator : 'no request could address an entity';
    return cases;
  }

  /**
   * Each delete refusal of the model (`deleteRefusedWhile`), tried over HTTP: a record that holds the
   * entity as the refusal says (an open order of the customer, reserved stock of the product) makes the
   * delete answer 409 with the design's code.
   */
  private refusalCases(op: Bound, entity: Entity, creator: Creator, url: string): ApiTestCase[] {
    const id = outputPropertyOf(creator.shape, 'id');
    if (!id) return [];
    return entity.deleteRefusals.flatMap((refusal): ApiTestCase[] => {
      const target = this.ctx.entities.get(refusal.target);
      const values = target && holdingValues(target, refusal.where?.expression);
      const back = target?.relations.find((r) => r.column !== undefined && `${r.names.camel}Id` === refusal.reference);
      const unique = target !== undefined && back !== undefined && (target.fields.some((f) => f.unique && f.names.original === back.names.original) || target.indexes.some((i) => i.unique && i.fields.length === 1 && i.fields[0] === back.names.original));
      const stateField = target?.stateMachine?.field;
      if (!target || !values || !this.ctx.sampled.has(target.names.pascal) || (unique && stateField !== undefined && stateField in values)) {
        this.omit(op, `no test of the refusal ${refusal.code}: no stored ${refusal.target} could be made to hold it${refusal.where ? ` (${refusal.where.source})` : ''}`);
        return [];
      }
      const sample = `sample${target.names.pascal}`;
      this.samples.add(sample);
      const entries = Object.entries(values).map(([property, value]) => `${propertyKey(property)}: ${typeof value === 'string' ? stringLiteral(value) : String(value)}`);
      const reference = `${refusal.reference}: ${access('created', id)}`;
      const repository = `api.repositories.${repositoryProperty(target)}`;
      // A record the entity has exactly one of (its inventory, made by a reaction) is changed, not added.
      const hold = unique
        ? [`const holder = (await ${repository}.findOne({ ${reference} })) ?? (await ${sample}(api.repositories, { ${reference} }));`, `holder.update({ ${entries.join(', ')} });`, `await ${repository}.update(holder);`]
        : [`await ${sample}(api.repositories, { ${[reference, ...entries].join(', ')} });`];
      const status = this.declares(op, 409) ? 409 : 400;
      return [
        {
          title: stringLiteral(`refuses the delete with ${status} ${refusal.code} while ${refusal.relation}${refusal.where ? ` where ${refusal.where.source}` : ''} hold it`),
          skipIf: this.skipIf([creator.bound, op]),
          body: [`const created = await ${creator.helper}();`, ...hold, `const refused = ${this.call(op, status, url)};`, `expect(JSON.stringify(refused)).toContain(${stringLiteral(JSON.stringify(refusal.code))});`].join('\n'),
        },
      ];
    });
  }

  /** A transition: allowed from a state it starts from (200, the new state), refused from one it does not (409). */
  private actionCases(op: Bound, entity: Entity): ApiTestCase[] | string {
    const machine = entity.stateMachine;
    const transition = machine?.transitions.find((t) => t.names.camel === op.crud.transition);
    if (!machine || !transition) return 'it names no transition';
    const creator = this.creator(entity);
    const cases: ApiTestCase[] = [];
    const body = op.body ? buildBody(op, entity, this.ctx, new ParentNames(), { variant: 0, version: { kind: 'expression', code: 'version', sample: 1 } }) : undefined;
    const missingBody = op.body ? buildBody(op, entity, this.ctx, new ParentNames(), { variant: 0, version: { kind: 'literal', value: 1 } }) : undefined;
    const sendsBody = body !== undefined && typeof body !== 'string';
    if (!sendsBody && op.body && !op.crud.bodyOptional) return typeof body === 'string' ? body : 'no valid request body could be derived';
    const bodyCode = sendsBody ? renderCode(body.code) : undefined;
    const needsVersion = sendsBody && op.crud.versionProperty !== undefined;
    if (typeof creator !== 'string') {
      const address = this.address(op, creator.shape, 'created');
      const id = outputPropertyOf(creator.shape, 'id');
      const start = startState(entity);
      const baseValues = { ...sentValuesOf(creator.built.sent), [machine.field]: start };
      const allowed = address && id ? pathTo(entity, start, (state) => transition.from.includes(state), baseValues, this.ctx) : undefined;
      const forbidden = address && id ? pathTo(entity, start, (state) => !transition.from.includes(state), baseValues, this.ctx) : undefined;
      const parents = sendsBody ? body.parents : [];
      const prepare = (path: string[]): string[] => {
        const lines = [`const created = await ${creator.helper}();`];
        if (path.length > 0 || needsVersion) lines.push(`const stored = await api.repositories.${repositoryProperty(entity)}.getById(${access('created', id as string)});`);
        for (const step of path) lines.push(`stored.${step}();`);
        if (path.length > 0) lines.push(`${needsVersion ? 'const { version } = ' : ''}await api.repositories.${repositoryProperty(entity)}.update(stored);`);
        else if (needsVersion) lines.push('const { version } = stored;');
        return [...lines, ...(sendsBody && bodyCode?.includes('${n}') ? ['const n = next();'] : []), ...this.sampleParents(parents)];
      };
      const url = address ? this.url(op, address) : '';
      const reader = address && id ? this.reader(entity, creator.shape, 'created') : undefined;
      const stateProperty = outputPropertyOf(creator.shape, machine.field);
      // A gateway call that follows the transition (the fakes answer its first outcome) moves the record on again.
      const call = this.ctx.domain.gatewayCalls.find((c) => c.trigger.entity === entity.names.original && c.trigger.on === transition.names.original && calledFor(c, entity, { ...baseValues, [machine.field]: transition.to }));
      const settled = call ? stateAfter(entity, call.outcomes[0]?.transition) : transition.to;
      if (allowed) {
        const expected = expectedObject(op.crud.response.shape ?? creator.shape, sendsBody ? body.sent : emptySent(), entity.fields, { defaults: false, state: { field: machine.field, value: settled } });
        const lines = [...prepare(allowed.path), `const done = ${this.data(op, this.call(op, op.crud.response.status, url, bodyCode))};`, `expect(done).toMatchObject(${renderCode(expected)});`];
        // What the transition answered is what was stored.
        if (reader && reader.op.crud.response.shape?.name === op.crud.response.shape?.name) lines.push(`expect(${this.data(reader.op, this.call(reader.op, reader.op.crud.response.status, reader.url))}).toEqual(done);`);
        cases.push({
          title: stringLiteral(`performs "${transition.names.original}" from ${allowed.state}: the ${entity.names.original} is then ${transition.to}${call ? `, and ${settled} once ${call.gateway}.${call.operation} answered ${call.outcomes[0]?.outcome ?? ''}` : ''}`),
          skipIf: this.skipIf([creator.bound, op, ...(reader ? [reader.op] : [])]),
          body: lines.join('\n'),
        });
      }
      if (forbidden && !this.declares(op, 409)) {
        this.omit(op, `no test of a refused "${transition.names.original}": the spec declares no 409 with a body for it, which the contract check requires`);
      } else if (forbidden) {
        const lines = [...prepare(forbidden.path), `${this.call(op, 409, url, bodyCode)};`];
        // Refused: still in the state it was.
        if (reader && stateProperty) lines.push(`expect(${this.data(reader.op, this.call(reader.op, reader.op.crud.response.status, reader.url))}).toMatchObject({ ${propertyKey(stateProperty)}: ${stringLiteral(forbidden.state)} });`);
        cases.push({
          title: stringLiteral(`refuses "${transition.names.original}" from ${forbidden.state} with 409`),
          skipIf: this.skipIf([creator.bound, op, ...(reader ? [reader.op] : [])]),
          body: lines.join('\n'),
        });
      }
    }
    const missing = this.missingAddress(op, entity);
    if (missing && (missingBody === undefined || typeof missingBody !== 'string' || op.crud.bodyOptional)) {
      const sent = missingBody !== undefined && typeof missingBody !== 'string' ? missingBody : undefined;
      const code = sent ? renderCode(sent.code) : undefined;
      cases.push({
        title: stringLiteral('answers 404 for an unknown id'),
        skipIf: this.skipIf([op]),
        body: [...(code?.includes('${n}') ? ['const n = next();'] : []), ...this.sampleParents(sent?.parents ?? []), `${this.call(op, 404, this.url(op, missing), code)};`].join('\n'),
      });
    }
    if (cases.length === 0) return typeof creator === 'string' ? creator : 'no state the tests can reach allows or forbids it';
    return cases;
  }
}

interface ChangeBody {
  body: string;
  /** The body as code, and the fields it sets. */
  code: Code;
  sent: Sent;
  usesN: boolean;
  parents: Parent[];
  /** What the test changes, for its title. */
  what: string;
  expected: string;
  /** The whole representation after the change, when only what was sent changes. */
  expectedEqual: ((result: string) => string) | undefined;
}

function emptySent(): Sent {
  return { fields: new Map(), objects: new Map(), children: new Map() };
}

function sentValuesOf(sent: Sent): Record<string, unknown> {
  return sentValues(sent, 1);
}

/** Whether a gateway call's condition holds for a new record made from the sent values (its other fields at their defaults). */
function calledFor(call: GatewayCall, entity: Entity, values: Record<string, unknown>): boolean {
  if (!call.where) return true;
  const row: Record<string, unknown> = {};
  for (const field of entity.fields) row[field.names.original] = values[field.names.camel] ?? field.default ?? null;
  return evaluate(call.where.expression, row) === true;
}

/** The state a transition leads to (the start state when there is none). */
function stateAfter(entity: Entity, transition: string | undefined): string {
  return entity.stateMachine?.transitions.find((t) => t.names.original === transition)?.to ?? startState(entity);
}

/** The state a new entity starts in. */
function startState(entity: Entity): string {
  const machine = entity.stateMachine;
  if (!machine) return '';
  const field = entity.fields.find((f) => f.names.camel === machine.field);
  return typeof field?.default === 'string' ? field.default : machine.initial;
}

/**
 * The shortest sequence of transitions (performed on the entity itself, through its repository) from
 * the start state to one that satisfies `goal`, each step keeping the invariants.
 */
function pathTo(entity: Entity, start: string, goal: (state: string) => boolean, values: Record<string, unknown>, ctx: Context): { state: string; path: string[] } | undefined {
  const machine = entity.stateMachine;
  if (!machine) return undefined;
  const queue: { state: string; path: string[]; values: Record<string, unknown> }[] = [{ state: start, path: [], values }];
  const seen = new Set([start]);
  while (queue.length > 0) {
    const current = queue.shift() as (typeof queue)[number];
    if (goal(current.state)) return { state: current.state, path: current.path };
    for (const t of machine.transitions) {
      if (!t.from.includes(current.state) || seen.has(t.to)) continue;
      const stamped = entity.fields.some((f) => f.names.camel === `${camelCase(t.to)}At` && f.type === 'datetime') ? { [`${camelCase(t.to)}At`]: new Date() } : {};
      const next = { ...current.values, [machine.field]: t.to, ...stamped };
      if (!invariantsHold(entity, next, ctx.valueObjects)) continue;
      seen.add(t.to);
      queue.push({ state: t.to, path: [...current.path, t.names.camel], values: next });
    }
  }
  return undefined;
}

function largestSize(schema: JsonSchema, ctx: Context): number {
  for (const size of [100, 50, 20, 10, 5, 1]) if (ctx.check(schema, size)) return size;
  return 1;
}

function plural(name: string): string {
  return /(s|x|z|ch|sh)$/.test(name) ? `${name}es` : /[^aeiou]y$/.test(name) ? `${name.slice(0, -1)}ies` : `${name}s`;
}

/** The rollback test of a generated service method: the first create the tests can make, run inside a failing unit of work. */
function serviceRollback(bound: Bound[], creatorOf: (entity: Entity) => Creator | string, ctx: Context): ServiceRollbackView | undefined {
  for (const op of bound) {
    if (op.crud.kind !== 'create' || op.crud.scope || op.crud.singleton || op.operation.parameters.some((p) => p.required && p.in !== 'path')) continue;
    const entity = ctx.entities.get(op.crud.entity) as Entity;
    const creator = creatorOf(entity);
    if (typeof creator === 'string' || creator.bound !== op) continue;
    return {
      baseClass: `${op.resource.names.pascal}${ctx.serviceSuffix}Base`,
      baseFile: op.resource.names.kebab,
      methodName: op.operation.methodName,
      entity: entity.names.original,
      repository: repositoryProperty(entity),
      parents: creator.built.parents.map((p) => `const ${p.variable} = await sample${p.entity.names.pascal}(transactional);`),
      body: renderCode(creator.built.code),
      usesRunningNumber: JSON.stringify(creator.built.code).includes('"kind":"unique"'),
      usesSignIn: ctx.signInOperations.some((id) => op.resource.operations.some((o) => o.operationId === id)),
    };
  }
  return undefined;
}

export function sampleFunctionsOf(view: ServiceRollbackView | undefined): string[] {
  return [...new Set((view?.parents ?? []).map((line) => /await (sample\w+)\(/.exec(line)?.[1] ?? ''))].filter(Boolean).sort();
}


/** What test/repositories/unit-of-work.gen.ts receives. */
export interface UnitOfWorkView {
  fileStem: string;
  /** The entity whose sample the tests store (the one that needs the most other records). */
  sample: string;
  property: string;
  isSerial: boolean;
  /** How each repository's count grows when the sample is stored: `orders: before.orders + 1, ...`. */
  increments: string;
  severalTables: boolean;
  sampleImports: string;
  service: ServiceRollbackView | undefined;
}

export function buildUnitOfWorkView(persistence: PersistenceView, service: ServiceRollbackView | undefined): UnitOfWorkView | undefined {
  const samples = new Map(persistence.samples.map((s) => [s.entityClass, s]));
  const stored = (entityClass: string, into: Map<string, number>): Map<string, number> => {
    const sample = samples.get(entityClass);
    if (!sample) return into;
    into.set(sample.property, (into.get(sample.property) ?? 0) + 1);
    for (const parent of sample.parents) stored(parent.entityClass, into);
    return into;
  };
  const [chosen] = [...persistence.samples].sort((a, b) => stored(b.entityClass, new Map()).size - stored(a.entityClass, new Map()).size);
  if (!chosen) return undefined;
  const increments = stored(chosen.entityClass, new Map());
  const repository = persistence.repositories.find((r) => r.entityClass === chosen.entityClass);
  const imports = new Set([`sample${chosen.entityClass}`, ...sampleFunctionsOf(service), ...(service?.usesRunningNumber ? ['next'] : []), ...(service?.body.includes('spellNumber(') ? ['spellNumber'] : [])]);
  return {
    fileStem: 'unit-of-work',
    sample: chosen.entityClass,
    property: chosen.property,
    isSerial: repository?.isSerial ?? false,
    increments: [...increments.entries()].map(([property, count]) => `${property}: before.${property} + ${count}`).join(', '),
    severalTables: increments.size > 1,
    sampleImports: [...imports].sort().join(', '),
    service,
  };
}

/** The object a page member is in, below `object` (`body.meta` of `{ data, meta: { total } }`). */
function nested(object: string, member: PageMember): string {
  return (member.parents ?? []).reduce((inner, parent) => access(grouped(inner), parent), object);
}

/** An expression a member access can follow: `await f()` needs parentheses, `page.data` does not. */
function grouped(expression: string): string {
  return /^[\w$.]+$/.test(expression) ? expression : `(${expression})`;
}
