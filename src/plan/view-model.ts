import type { LintView } from './lint-view.js';
import { buildDomainRules, ruleErrorsOf, type DomainRulesView } from './effects/domain-rules.js';
import { bindsIdToCaller } from './crud-code.js';
import { commentText, stringLiteral, jsonAsCode } from '../model/naming.js';
import type { ApiModel, Operation, Resource, SecurityScheme } from '../model/types.js';
import { namesRoles, requiredRoles } from '../model/security.js';
import { declaresIdempotency } from '../model/operations.js';
import type { DomainModel, SignInStep } from '../model/domain/types.js';
import type { SignInBinding } from '../model/crud/bind-sign-in.js';
import { buildSignInView, type SignInView } from './sign-in-view.js';
import { rolesIn } from '../model/domain/policies.js';
import type { CrudModel, CrudOperation, ImplementationEntry } from '../model/crud/types.js';
import { buildApiTests, buildUnitOfWorkView, type ApiTestFile, type UnitOfWorkView } from './api-tests.js';
import { buildGatewayViews, type GatewayView } from './gateways/gateway-view.js';
import { buildMappers, buildServiceCode, serviceImports, type ImplementedMethod, type MappersView } from './crud-code.js';
import { contractCases } from './contract-cases.js';
import { buildDomainViews, type EntityView, type ValueObjectView } from './entity-view.js';
import type { PersistenceView } from './persistence-view.js';
import { operationTypes, type OperationTypes } from './operation-types.js';
import { buildRouteEntry, type RouteEntry } from './route-entry.js';
import { withRouteParameters, withStorageBounds } from './storage-bounds.js';
import { documentLiteral, type DocumentLiteralPieces } from './document-literal.js';
import { errorTemplate, type SchemaLookup } from './error-template.js';
import type { RelationalSchema } from '../model/domain/relational-schema.js';
import { buildArchitectureView, type ArchitectureView } from './architecture-view.js';
import type { GenerationReport } from './generation-report.js';
import { countGeneratedTests, MEASURED_TEST_RUNS, type TestCount } from './test-count.js';
import { superLinearPatterns } from './super-linear-patterns.js';

/**
 * The data every template receives. All strings are already safe where they land: identifiers come
 * from naming.ts, string literals are JSON-escaped, comment text cannot close its comment.
 * (Templates are compiled with `noEscape`: HTML escaping would corrupt TypeScript.)
 */
export interface ProjectView {
  /** The helpers of src/models/caller.ts and src/repositories/access-conditions.ts the generated code uses (name -> true). */
  policyHelpers: Record<string, boolean>;
  /** What src/repositories/access-conditions.ts imports from drizzle-orm for those helpers. */
  policyConditionImports: string;
  /** The design's rules broken with its own code: invariants and checks answering 422 (RuleViolationError) or 409 (RuleConflictError). */
  ruleErrors: { violation: boolean; conflict: boolean; codedInvariants: boolean };
  /** src/services/domain-rules.gen.ts: the model's reactions and checks across relations (undefined: none declared). */
  domainRules: DomainRulesView | undefined;
  /** The model's external services (src/gateways/); empty: none declared. */
  gateways: GatewayView[];
  /** Some operation declares an `Idempotency-Key` header and the project has a database to keep the keys in (src/middlewares/idempotency.ts). */
  usesIdempotency: boolean;
  /** The model's sign-in (src/services/sign-in.gen.ts, src/utils/password-hash.ts); undefined: not declared. */
  signIn: SignInView | undefined;
  /** What the Redis client (REDIS_URL) keeps besides the rate limit, for the instances to share (`the idempotency keys`); undefined: nothing. */
  redisShares: string | undefined;
  /** The roles the domain model's policies name (`hasRole('admin')`), as a TypeScript array literal; '': no entity has policies. */
  policyRoles: string;
  /** npm package name of the project. */
  packageName: string;
  /** The layer rules the project's own lint enforces (eslint.config.js). */
  lint: LintView;
  /** The spec's title, comment-safe. */
  title: string;
  /** The first sentence of the spec's description (its title without one). */
  description: string;
  /** The spec file name, for headers and the README. */
  specFile: string;
  /** The scaffold version generating the project. */
  toolVersion: string;
  /** The path prefix of every route: the path of the spec's first server URL (`/v2`), `/api/v1` without servers. */
  basePath: string;
  /** Whether the spec's bodies use a response envelope (src/model/envelope.ts). */
  usesEnvelope: boolean;
  /** The API grouped by resource (a tag or the first path segment): one controller, service and DTO file each. */
  resources: ResourceView[];
  /** Error bodies the routes share, declared once as constants of routes.gen.ts. */
  errorBodies: { name: string; literal: string }[];
  /** Entities and value objects of the domain model (empty without one). */
  entities: EntityView[];
  /** Value objects of the domain model (empty without one). */
  valueObjects: ValueObjectView[];
  /** Tables, repositories and test samples (undefined without a domain model). */
  persistence: PersistenceView | undefined;
  /** Working CRUD from the domain model (undefined without one). */
  crud: { mappers: MappersView } | undefined;
  /** The generated API tests, one file per resource with implemented operations (empty without a domain model). */
  apiTests: ApiTestFile[];
  /** The transaction tests (undefined without a domain model or samples). */
  unitOfWork: UnitOfWorkView | undefined;
  /** Whether a sample or an API test writes a running number in a pattern's characters (test/support/samples.gen.ts then exports `spellNumber`). */
  spellsNumbers: boolean;
  /** Every JSON Schema the routes validate with, by `$id`, as JSON text. */
  schemas: { id: string; schemaJson: string }[];
  /** The patterns that can backtrack super-linearly (src/plan/super-linear-patterns.ts), as a JSON array of strings. */
  superLinearPatterns: string;
  /** The error body most responses share, as an object literal (`undefined` when the spec has none). */
  sharedErrorBody: string;
  /** Whether the error bodies scaffold writes itself (no error schema in the spec) use the house envelope `{ success: false, error }`, else a plain `{ code, message, details, requestId }` (guidelines `errorEnvelope`). */
  errorEnvelope: boolean;
  /** The `$id` of that error body's schema, as a string literal (`undefined` when none). */
  sharedErrorSchemaId: string;
  /** The spec's security schemes: key, key as a literal, JSON for the runtime, and kind. */
  /** `inherited`: the key names a member every object has (`toString`): TypeScript types such an entry only with `satisfies`. */
  securitySchemes: { key: string; literal: string; specJson: string; kind: SecurityScheme['kind']; inherited: boolean }[];
  /** Whether the spec declares any security scheme. */
  hasSecurity: boolean;
  /** The bearer, oauth2 and openIdConnect schemes some operation requires (their tokens are JWTs), named in a string literal; undefined when none. */
  jwtSchemes: string | undefined;
  /** The HTTP methods the routes answer (HEAD with GET), upper case and sorted, as a JSON array for CORS. */
  corsMethods: string;
  /** package.json dependencies of the project, sorted by name. */
  dependencies: { name: string; version: string }[];
  /** package.json devDependencies of the project, sorted by name. */
  devDependencies: { name: string; version: string }[];
  /** package.json overrides of the project (what its dependencies' dependencies are held at), sorted by name; `value` is a version or, for the dependencies of one package, an object of them. */
  overrides: { name: string; value: string | Record<string, string> }[];
  /** How many operations the spec has. */
  operationCount: number;
  /** A concrete URL of one operation and its method (literals), for the 405 test; undefined if none fits. */
  firstRoute: { url: string; method: string } | undefined;
  /** The bundled spec as a string literal, for JSON.parse in src/dto/openapi-document.gen.ts. */
  documentLiteral: string;
  /** The tests the project's `npm test` runs, and a measured run of an example's tests for scale (README). */
  tests: TestCount;
  /** A measured run of an example's tests, for the README. */
  measuredTestRun: (typeof MEASURED_TEST_RUNS)[keyof typeof MEASURED_TEST_RUNS];
  /** docs/ARCHITECTURE.md. */
  architecture: ArchitectureView;
}

export interface ResourceView {
  /** The resource's file name stem: `pet` in `pet.controller.ts`. */
  fileStem: string;
  /** The resource as a property name (`pet`, `orderItems`). */
  property: string;
  /** The user-owned controller class (`PetController`). */
  controllerClass: string;
  /** The generated controller base class it extends (`PetControllerBase`). */
  controllerBaseClass: string;
  /** The user-owned service class (`PetService`). */
  serviceClass: string;
  /** The generated service base class it extends (`PetServiceBase`). */
  serviceBaseClass: string;
  /** The namespace the DTO types are imported under (`PetDto`). */
  dtoNamespace: string;
  /** Import declarations of the service base. */
  serviceImports: string[];
  /** How many operations the generated service implements. */
  implementedCount: number;
  /** Some operation of the resource is a sign-in step: the service base takes the SignIn (src/services/sign-in.gen.ts). */
  usesSignIn: boolean;
  /** A method calls external services once its change commits: the service takes the gateways. */
  usesGateways: boolean;
  /** Helper types of src/dto/operation-types.ts that this resource's DTO file uses. */
  dtoHelperImports: string[];
  /** What the DTO file imports from openapi.gen.ts: `paths` and the read/write helpers it uses. */
  dtoTypeImports: string[];
  /** The resource's doc comment text (comment-safe). */
  doc: string;
  /** The resource's operations, in spec order. */
  operations: OperationView[];
}

export interface OperationView {
  /** The controller and service method name (`getPetById`). */
  methodName: string;
  /** The spec's operationId (or the name derived from method and path). */
  operationId: string;
  /** The service method's doc: the operation's, plus what the generated implementation does. */
  serviceDoc: string[];
  /** The generated implementation (undefined: a 501 stub). */
  implementation: (ImplementedMethod & { usesInput: boolean }) | undefined;
  /** The operation checks credentials the request carries (sign-in's login and refresh; `me` needs a token of an account): a made-up valid request may answer 401. */
  checksCredentials: boolean;
  /** The DTO type of the method's input (path, query, headers and body). */
  inputType: string;
  /** The DTO type of the method's result (the responses by status). */
  resultType: string;
  /** The operation's alias in the DTO file. */
  operationAlias: string;
  /** The type expressions of the operation's parts (src/plan/operation-types.ts). */
  types: OperationTypes;
  /** Lines of the method's doc comment (comment-safe). */
  doc: string[];
  /** The route table entry: method, URL, schemas, statuses, security. */
  route: RouteEntry;
  /** The route entry's properties as object-literal text; error bodies refer to the shared constants. */
  routeProperties: string;
  /** For tests and docs: `GET /v2/pet/{petId}`. */
  signature: string;
  /** Comment-safe title of the operation's tests. */
  testTitle: string;
  /** The generated contract tests' requests, as object-literal text (undefined: no such test). */
  validRequest: string | undefined;
  /** A request the route must reject with 400, as object-literal text (undefined: no such test). */
  invalidRequest: string | undefined;
  /** Comment-safe title of the invalid-request test. */
  invalidTitle: string;
  /** Whether the operation requires credentials (a security requirement applies). */
  requiresCredentials: boolean;
  /** Whether every way in asks for roles, and the tests can make the credentials of one: a caller without them gets 403. */
  requiresRoles: boolean;
  /** Comment-safe title of the missing-role test. */
  rolesTitle: string;
  /** A request without body or credentials, as object-literal text, for the generated tests. */
  bareRequest: string;
  /** The URL of the bare request, with sample path parameters. */
  bareUrl: string;
}

export interface ViewOptions {
  packageName: string;
  specFile: string;
  toolVersion: string;
  document: unknown;
  /** The run cache and the spec's piece hashes, to put the document's literal together from pieces. */
  documentPieces?: DocumentLiteralPieces | undefined;
  domain: DomainModel | undefined;
  persistence: PersistenceView | undefined;
  crud: CrudModel | undefined;
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
  overrides: Record<string, string | Record<string, string>>;
  /** What the generation report says of each operation; docs/ARCHITECTURE.md lists the same. */
  report: Pick<GenerationReport, 'entries' | 'counts' | 'rules'>;
  /** The tables of the domain model (undefined without one), and the migration files that create them. */
  schema: RelationalSchema | undefined;
  migrationFiles: string[];
  /** Endings of the controller and service class names (guidelines; `Controller`, `Service` by default). */
  classSuffixes?: { controller: string; service: string };
  /** The layer rules of eslint.config.js (src/plan/lint-view.ts). */
  lint: LintView;
  /** The guidelines' `errorEnvelope`; true (the house envelope) by default. */
  errorEnvelope?: boolean;
  /** The model's sign-in bound to the spec's operations (src/model/crud/bind-sign-in.ts), when declared. */
  signIn?: SignInBinding | undefined;
}

export function buildProjectView(model: ApiModel, options: ViewOptions): ProjectView {
  const schemaById = new Map(model.schemas.map((s) => [s.id, s.schema]));
  const lookup = (id: string) => schemaById.get(id);
  const specNames = new Map(model.schemas.map((s) => [s.id, s.specName]));
  const shared = sharedErrorSchemaId(model);
  const errorBodyNames: ErrorBodyNames = new Map();
  const implement = (resource: Resource) => implementations(resource, options, model.basePath);
  const signInSteps = new Map((options.signIn?.operations ?? []).map((o) => [o.operationId, o.step]));
  const resources = model.resources.map((r) => resourceView(r, lookup, model.basePath, (id) => specNames.get(id), errorBodyNames, implement(r), options.persistence !== undefined, model.securitySchemes, options.classSuffixes, signInSteps));
  const probe = resources.flatMap((r) => r.operations).find((o) => o.route.method !== 'TRACE');
  const domain = options.domain ? buildDomainViews(options.domain) : { entities: [], valueObjects: [] };
  const firstRoute = probe && { url: stringLiteral(probe.bareUrl), method: stringLiteral(probe.route.method) };
  const apiTests = options.crud && options.domain && options.persistence ? buildApiTests(model, options.crud, options.domain, options.persistence, options.classSuffixes?.service) : undefined;
  const unitOfWork = options.persistence && buildUnitOfWorkView(options.persistence, apiTests?.serviceRollback);
  const jwt = jwtSchemes(model);
  const signIn = options.signIn && options.domain && buildSignInView(options.signIn, options.domain, model, options.classSuffixes?.service);
  const tests = countGeneratedTests({ resources, entities: domain.entities, persistence: options.persistence, firstRoute, jwtSchemes: jwt, apiTests: apiTests?.files ?? [], unitOfWork, signIn, gateways: options.domain?.gateways });
  const mappers = options.crud && options.domain ? buildMappers(options.crud, options.domain, model.basePath) : undefined;
  const helpers = policyHelpers(options.persistence, domain.entities, options.domain, mappers);
  const usesIdempotency = options.persistence !== undefined && declaresIdempotency(model);
  const handlers = new Map(
    resources.flatMap((r) => r.operations.map((o) => [o.operationId, { controllerClass: r.controllerClass, serviceClass: r.serviceClass, methodName: o.methodName }] as const)),
  );
  return {
    ...domain,
    signIn,
    policyRoles: policyRoles(options.domain),
    ruleErrors: ruleErrorsOf(options.domain),
    domainRules: buildDomainRules(options.domain),
    gateways: buildGatewayViews(options.domain),
    usesIdempotency,
    redisShares: [...(usesIdempotency ? ['the idempotency keys'] : []), ...(signIn ? ['the failed-login counts'] : [])].join(' and ') || undefined,
    policyHelpers: helpers,
    policyConditionImports: policyConditionImports(helpers),
    persistence: options.persistence,
    apiTests: apiTests?.files ?? [],
    unitOfWork,
    spellsNumbers: spellsNumbers(options.persistence, apiTests?.files ?? [], unitOfWork),
    crud: mappers && { mappers },
    packageName: options.packageName,
    lint: options.lint,
    title: commentText(model.title),
    description: firstSentence(model.description) || model.title,
    specFile: commentText(options.specFile),
    toolVersion: options.toolVersion,
    basePath: model.basePath,
    usesEnvelope: model.usesEnvelope,
    resources,
    errorBodies: [...errorBodyNames.entries()].map(([literal, name]) => ({ name, literal })),
    firstRoute,
    schemas: model.schemas.map((s) => ({ id: s.id, schemaJson: jsonAsCode({ $id: s.id, ...(typeof s.schema === 'boolean' ? {} : s.schema) }) })),
    superLinearPatterns: JSON.stringify(superLinearPatterns(model.schemas, model.resources, options.domain)),
    sharedErrorBody: shared === undefined ? 'undefined' : jsonAsCode(errorTemplate({ $ref: shared }, lookup)),
    errorEnvelope: options.errorEnvelope ?? true,
    sharedErrorSchemaId: shared === undefined ? 'undefined' : stringLiteral(shared),
    securitySchemes: model.securitySchemes.map((s) => ({
      key: s.key,
      literal: stringLiteral(s.key),
      kind: s.kind,
      specJson: JSON.stringify({ kind: s.kind, ...(s.in && { in: s.in }), ...(s.parameterName && { parameterName: s.parameterName }), ...(s.rolesClaim && { rolesClaim: s.rolesClaim }) }),
      inherited: Object.hasOwn(Object.prototype, s.key),
    })),
    hasSecurity: model.securitySchemes.length > 0,
    jwtSchemes: jwt,
    corsMethods: JSON.stringify(routeMethods(model)),
    dependencies: sortedEntries(options.dependencies),
    devDependencies: sortedEntries(options.devDependencies),
    overrides: Object.keys(options.overrides)
      .sort()
      .map((name) => ({ name, value: options.overrides[name]! })),
    operationCount: model.resources.reduce((n, r) => n + r.operations.length, 0),
    documentLiteral: documentLiteral(options.document, options.documentPieces),
    tests,
    measuredTestRun: MEASURED_TEST_RUNS.withDatabase,
    architecture: buildArchitectureView({
      packageName: options.packageName,
      specFile: options.specFile,
      entries: options.report.entries,
      counts: options.report.counts,
      rules: options.report.rules,
      handlers,
      domain: options.domain,
      schema: options.schema,
      migrationFiles: options.migrationFiles,
      basePath: model.basePath,
      securitySchemes: model.securitySchemes,
      tests,
    }),
  };
}

/** The generated service code of a resource's implemented operations, and each operation's report entry. */
function implementations(
  resource: Resource,
  options: ViewOptions,
  basePath: string,
): { code: ReturnType<typeof buildServiceCode> | undefined; entries: Map<string, ImplementationEntry>; domain: DomainModel | undefined } {
  const entries = new Map<string, ImplementationEntry>();
  if (!options.crud || !options.domain) return { code: undefined, entries, domain: undefined };
  const bound = resource.operations.flatMap((o) => {
    const entry = options.crud?.operations.get(o.operationId);
    if (entry) entries.set(o.operationId, entry);
    return entry && 'operation' in entry.implementation ? [entry.implementation.operation] : [];
  });
  const statuses = new Map(resource.operations.map((o) => [o.operationId, o.responses.map((r) => r.status.toUpperCase())]));
  return { code: buildServiceCode(bound, options.crud, options.domain, basePath, statuses), entries, domain: options.domain };
}

function resourceView(
  resource: Resource,
  lookup: SchemaLookup,
  basePath: string,
  specNameOf: (id: string) => string | undefined,
  errorBodyNames: ErrorBodyNames,
  implemented: ReturnType<typeof implementations>,
  persistence: boolean,
  schemes: readonly SecurityScheme[],
  suffixes: { controller: string; service: string } = { controller: 'Controller', service: 'Service' },
  signInSteps: ReadonlyMap<string, SignInStep> = new Map(),
): ResourceView {
  const pascal = resource.names.pascal;
  const operations = resource.operations.map((o) => {
    const bound = implemented.entries.get(o.operationId)?.implementation;
    const storage = bound && 'operation' in bound && implemented.domain ? { operation: bound.operation, domain: implemented.domain } : undefined;
    // Without a database there is nowhere to keep idempotency keys: the operation is served without them (the report says so).
    const served = persistence || o.idempotency === undefined ? o : { ...o, idempotency: undefined };
    const view = operationView(served, lookup, basePath, specNameOf, errorBodyNames, schemes, storage);
    const step = signInSteps.get(o.operationId);
    // A sign-in step is implemented in src/services/sign-in.gen.ts; the service hands it over.
    const method = step ? { body: `return this.signIn.${step}(input, context);`, usesContext: true } : implemented.code?.methods.get(o.operationId);
    const entry = implemented.entries.get(o.operationId);
    return {
      ...view,
      implementation: method && { ...method, usesInput: step !== undefined || /\binput\./.test(method.body) },
      checksCredentials: step === 'login' || step === 'refresh' || step === 'me',
      serviceDoc: [...view.doc, ...(entry ? implementationDoc(entry) : [])],
    };
  });
  const hasStubs = operations.some((o) => !o.implementation);
  const usesSignIn = resource.operations.some((o) => signInSteps.has(o.operationId));
  const typeText = operations.flatMap((o) => Object.values(o.types)).join(' ');
  return {
    fileStem: resource.names.kebab,
    property: resource.names.camel,
    controllerClass: `${pascal}${suffixes.controller}`,
    controllerBaseClass: `${pascal}${suffixes.controller}Base`,
    serviceClass: `${pascal}${suffixes.service}`,
    serviceBaseClass: `${pascal}${suffixes.service}Base`,
    dtoNamespace: `${pascal}Dto`,
    serviceImports: [
      ...serviceImports(implemented.code, { dtoNamespace: `${pascal}Dto`, fileStem: resource.names.kebab, hasStubs, persistence }),
      ...(usesSignIn ? [`import type { SignIn } from './sign-in.gen.js';`] : []),
      ...(implemented.code?.uses.gateways ? [`import type { Gateways } from '../gateways/gateways.gen.js';`] : []),
    ],
    usesSignIn,
    usesGateways: implemented.code?.uses.gateways ?? false,
    implementedCount: operations.filter((o) => o.implementation).length,
    dtoHelperImports: ['BinaryBody', 'Empty', 'Enveloped'].filter((name) => new RegExp(`\\b${name}\\b`).test(typeText)),
    dtoTypeImports: ['paths', ...['Readable', 'Writable'].filter((name) => new RegExp(`\\b${name}<`).test(typeText))],
    doc: commentText(resource.description || `Operations tagged "${resource.names.original}".`),
    operations,
  };
}

/** `storage`: the implemented operation's binding to the domain model, whose columns bound the request values. */
function operationView(
  operation: Operation,
  lookup: SchemaLookup,
  basePath: string,
  specNameOf: (id: string) => string | undefined,
  errorBodyNames: ErrorBodyNames,
  schemes: readonly SecurityScheme[],
  storage?: { operation: CrudOperation; domain: DomainModel },
): OperationView {
  const alias = `${operation.typeName}Operation`;
  const specified = buildRouteEntry(operation, lookup, specNameOf);
  const route = storage ? withStorageBounds(specified, storage.operation, storage.domain) : specified;
  const cases = contractCases(storage ? withRouteParameters(operation, route) : operation, basePath, lookup);
  const signature = `${operation.method.toUpperCase()} ${operation.path}`;
  const doc = [operation.summary, operation.description].map(commentText).filter(Boolean);
  return {
    methodName: operation.methodName,
    operationId: operation.operationId,
    implementation: undefined,
    checksCredentials: false,
    serviceDoc: [],
    inputType: `${operation.typeName}Input`,
    resultType: `${operation.typeName}Result`,
    operationAlias: alias,
    types: operationTypes(operation, alias),
    doc: [...doc, `${commentText(signature)} (operationId: ${commentText(operation.operationId)})`, ...(operation.deprecated ? ['@deprecated The spec marks this operation deprecated.'] : [])],
    route,
    routeProperties: routeText(route, errorBodyNames),
    signature,
    testTitle: stringLiteral(`${operation.methodName}: ${signature}`),
    validRequest: cases.valid && JSON.stringify(cases.valid),
    invalidRequest: cases.invalid && JSON.stringify(cases.invalid.request),
    invalidTitle: stringLiteral(`rejects an invalid request (${cases.invalid?.breaks ?? ''}) with 400`),
    requiresCredentials: cases.requiresCredentials,
    requiresRoles: deniedWithoutRoles(operation, schemes),
    rolesTitle: stringLiteral(`refuses a caller without the role${roleList(operation, schemes)} with 403`),
    bareRequest: JSON.stringify(cases.bare),
    bareUrl: cases.bare.url,
  };
}

const TEST_CREDENTIALS: ReadonlySet<SecurityScheme['kind']> = new Set(['bearer', 'oauth2', 'openIdConnect', 'apiKey']);

function deniedWithoutRoles(operation: Operation, schemes: readonly SecurityScheme[]): boolean {
  const kinds = new Map(schemes.map((s) => [s.key, s.kind]));
  const roleNamed = (s: { key: string; scopes: string[] }): boolean => s.scopes.length > 0 && namesRoles(kinds.get(s.key) ?? 'custom');
  // The generated tests sign JWTs and configure one API key, which grants no roles.
  const testable = (s: { key: string; scopes: string[] }): boolean => TEST_CREDENTIALS.has(kinds.get(s.key) ?? 'custom') && !(kinds.get(s.key) === 'apiKey' && s.scopes.length > 0);
  return (
    operation.security.length > 0 &&
    operation.security.every((r) => r.schemes.some(roleNamed)) &&
    operation.security.some((r) => r.schemes.length > 0 && r.schemes.every(testable))
  );
}

/** ` admin`, `s admin, support`: the roles the alternatives name. */
function roleList(operation: Operation, schemes: readonly SecurityScheme[]): string {
  const roles = [...new Set(requiredRoles(operation, schemes).flat())];
  return `${roles.length === 1 ? '' : 's'} ${roles.join(', ')}`;
}

/** What the generated service does for an operation, as its doc comment says it. */
function implementationDoc(entry: ImplementationEntry): string[] {
  const implementation = entry.implementation;
  if (implementation.kind === 'stub') return [commentText(`Not generated: ${implementation.reason}.`)];
  if (implementation.kind === 'sign-in') return [commentText(`Generated from the domain model's signIn: the ${implementation.step} step (src/services/sign-in.gen.ts).`)];
  const operation = implementation.operation;
  const what = {
    list: `Lists ${operation.entity} entities`,
    get: `Returns the ${operation.entity}`,
    create: `Creates a ${operation.entity}`,
    replace: `Replaces the ${operation.entity}'s fields`,
    update: `Changes the ${operation.entity}'s fields that the request sends`,
    delete: `Deletes the ${operation.entity}`,
    action: `Performs the ${operation.transition ?? ''} transition of the ${operation.entity}`,
  }[operation.kind];
  return [commentText(`Generated from the domain model: ${what}.${entry.notes.length > 0 ? ` Note: ${entry.notes.join('; ')}.` : ''}`)];
}

/**
 * The spec's shared error schema: the component referenced most often by error responses
 * (4xx, 5xx, default), if any is referenced by more than one.
 */
const JWT_SCHEME_KINDS: ReadonlySet<SecurityScheme['kind']> = new Set(['bearer', 'oauth2', 'openIdConnect']);

function jwtSchemes(model: ApiModel): string | undefined {
  const required = new Set(model.resources.flatMap((r) => r.operations.flatMap((o) => o.security.flatMap((s) => s.schemes.map(({ key }) => key)))));
  const keys = model.securitySchemes.filter((s) => JWT_SCHEME_KINDS.has(s.kind) && required.has(s.key)).map((s) => s.key);
  return keys.length === 0 ? undefined : stringLiteral(keys.join(', '));
}

/** A browser's preflight asks for the method it is about to send; Fastify answers HEAD on every GET route. */
function routeMethods(model: ApiModel): string[] {
  const methods = new Set(model.resources.flatMap((r) => r.operations.map((o) => o.method.toUpperCase())));
  if (methods.has('GET')) methods.add('HEAD');
  return [...methods].sort();
}

function sharedErrorSchemaId(model: ApiModel): string | undefined {
  const counts = new Map<string, number>();
  for (const resource of model.resources) {
    for (const operation of resource.operations) {
      for (const response of operation.responses) {
        if (/^2/.test(response.status)) continue;
        const schema = response.contents.find((c) => c.kind === 'json')?.schema;
        const ref = typeof schema === 'object' && typeof schema.$ref === 'string' ? schema.$ref : undefined;
        if (ref && !ref.includes('#')) counts.set(ref, (counts.get(ref) ?? 0) + 1);
      }
    }
  }
  const [best] = [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  return best && best[1] > 1 ? best[0] : undefined;
}

function sortedEntries(record: Record<string, string>): { name: string; version: string }[] {
  return Object.keys(record)
    .sort()
    .map((name) => ({ name, version: record[name] as string }));
}

/** The first sentence of a (markdown) description, for one-line places such as package.json. */
function firstSentence(text: string): string {
  const line = text.split(/\n\s*\n/)[0]?.replace(/\s+/g, ' ').trim() ?? '';
  const sentence = /^(.{1,200}?[.!?])(\s|$)/.exec(line)?.[1] ?? line.slice(0, 200);
  return sentence;
}

/** Distinct error bodies (their JSON) and the constant each is declared as. */
type ErrorBodyNames = Map<string, string>;

/**
 * A route entry as object-literal text. Most operations share a handful of error bodies, so each
 * distinct one is a constant (`errorBody`, `errorBody2`, ...) and the entries refer to it by name.
 */
function routeText(route: RouteEntry, names: ErrorBodyNames): string {
  const errorBodies = Object.entries(route.errorBodies).map(([status, body]) => {
    const json = JSON.stringify(body);
    let name = names.get(json);
    if (name === undefined) {
      name = names.size === 0 ? 'errorBody' : `errorBody${names.size + 1}`;
      names.set(json, name);
    }
    return `${stringLiteral(status)}: ${name}`;
  });
  const text = JSON.stringify({ ...route, errorBodies: '__ERROR_BODIES__' }).slice(1, -1);
  return text.replace('"__ERROR_BODIES__"', `{ ${errorBodies.join(', ')} }`);
}

function spellsNumbers(persistence: PersistenceView | undefined, apiTests: ApiTestFile[], unitOfWork: UnitOfWorkView | undefined): boolean {
  const texts = [
    ...(persistence?.samples.map((s) => s.input) ?? []),
    ...apiTests.flatMap((file) => [...file.helpers, ...file.groups.flatMap((g) => g.cases.map((c) => c.body))]),
    unitOfWork?.service?.body ?? '',
  ];
  return texts.some((text) => text.includes('spellNumber('));
}

/** The roles named by `hasRole()` in the model's policies, as an array literal ('' when no entity has policies). */
function policyRoles(domain: DomainModel | undefined): string {
  const entities = (domain?.entities ?? []).filter((entity) => entity.policies);
  if (entities.length === 0) return '';
  const roles = new Set(entities.flatMap((entity) => [...(entity.policies?.rules.values() ?? [])].flatMap((rule) => rolesIn(rule.expression))));
  return `[${[...roles].sort().map(stringLiteral).join(', ')}]`;
}

/** The policy runtime's helpers some repository or entity imports: only those are generated. */
function policyHelpers(persistence: PersistenceView | undefined, entities: readonly EntityView[], model: DomainModel | undefined, mappers: MappersView | undefined): Record<string, boolean> {
  const used = [
    // Values relative to the caller, computed by the response mappers.
    ...(mappers?.callerHelpers ?? []),
    ...(persistence?.repositories ?? []).flatMap((r) => [...r.conditionImports.split(', '), ...(r.access?.callerImports ?? [])]),
    // The predicates of create rules live in the entities and use the caller's helpers as well.
    ...entities.flatMap((entity) => entity.creationRule?.callerImports.split(', ') ?? []),
    // A create bound to its creator takes the caller's subject as the new row's id when it is a UUID.
    ...((model?.entities ?? []).some((entity) => entity.identity === 'uuid' && bindsIdToCaller(entity)) ? ['subjectAsUuid'] : []),
  ];
  return Object.fromEntries(used.filter((name) => /^\w+$/.test(name)).map((name) => [name, true]));
}

/** The drizzle-orm names the policy helpers in use need (access-conditions.ts imports nothing else). */
function policyConditionImports(helpers: Record<string, boolean>): string {
  const needs: Record<string, string[]> = {
    anyOf: ['or'],
    allOf: ['and'],
    negate: ['not'],
    compare: ['eq', 'gt', 'gte', 'lt', 'lte', 'ne', 'type Column'],
    through: ['inArray', 'isNotNull', 'type Column', 'type SQLWrapper'],
    whereOf: ['sql'],
  };
  const names = new Set(Object.keys(needs).flatMap((helper) => (helpers[helper] ? (needs[helper] as string[]) : [])));
  const values = [...names].filter((n) => !n.startsWith('type ')).sort();
  const types = [...names].filter((n) => n.startsWith('type ')).sort();
  return [...values, ...types, 'type SQL'].filter((n, i, all) => all.indexOf(n) === i).join(', ');
}
