import type { CrudModel, CrudOperation, FilterMapping, InputProperty, LinkSpec, OutputProperty, OutputShape, PageMember, PageValue } from '../model/crud/types.js';
import { fieldsOf, type Expression } from '../model/domain/expression.js';
import { alternativesOf, changeRefusalsOf, ownerProperty, ruleFor } from '../model/domain/policies.js';
import { plural } from '../model/domain/build-domain.js';
import { policyToPredicate } from './policies/compile-policy.js';
import type { Computed, DomainModel, Entity } from '../model/domain/types.js';
import { camelCase, kebabCase, pascalCase, RESERVED_WORDS, stringLiteral } from '../model/naming.js';
import { afterHook, checkHook, reactionHook, reactionsTakeNote } from './effects/domain-rules.js';
import { repositoryProperty } from './persistence-view.js';

/**
 * The TypeScript of working CRUD: mappers from entities to the API's representations (one file,
 * src/dto/mappers.gen.ts) and the bodies of the service methods that the domain model can implement.
 * Every name placed in code comes from naming.ts or is a quoted literal; paths become template
 * literals with their static parts escaped.
 */
export interface MappersView {
  /** What mappers of values relative to the caller import from src/models/caller.ts (`Caller`, `claimOf`): the helpers, and the import line. */
  callerHelpers: string[];
  callerImport: string | undefined;
  entityImports: { className: string; fileStem: string }[];
  valueObjectImports: { className: string; fileStem: string }[];
  usesComponents: boolean;
  functions: string[];
}

export interface ImplementedMethod {
  /** Statements of the method body. */
  body: string;
  usesContext: boolean;
}

export interface ServiceCode {
  methods: Map<string, ImplementedMethod>;
  /** What the implemented methods use, for the file's imports. */
  uses: {
    envelope: boolean;
    randomUuid: boolean;
    errors: Set<string>;
    mappers: Set<string>;
    entities: Set<string>;
    valueObjects: Set<string>;
    support: Set<string>;
    /** The password hasher of src/utils/password-hash.ts a create uses (sign-in's password policy). */
    passwordHash: string | undefined;
    /** Functions of src/services/domain-rules.gen.ts: the model's reactions and checks. */
    domainRules: Set<string>;
    /** Helpers of src/models/caller.ts (`hasRole`): a list refusing a filter on another owner. */
    callerHelpers: Set<string>;
    /** A method calls external services once its change commits: the service takes the gateways. */
    gateways: boolean;
  };
}

const TAKEN = new Set(['input', 'context', 'body', 'result', 'page', 'size', 'offset', 'query', 'related', 'total', 'saved', 'changes', 'before']);

/** A variable for an entity or value object, never a reserved word or one of the method's own names. */
function variableFor(name: string): string {
  const variable = camelCase(name, 'entity');
  return RESERVED_WORDS.has(variable) || TAKEN.has(variable) ? `${variable}Entity` : variable;
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** `object.name`, or `object["na-me"]` for names that are not identifiers. */
function member(object: string, name: string, optionalChain = false): string {
  if (IDENTIFIER.test(name) && !RESERVED_WORDS.has(name)) return `${object}${optionalChain ? '?.' : '.'}${name}`;
  return `${object}${optionalChain ? '?.' : ''}[${stringLiteral(name)}]`;
}

/** The entries of an object literal of page members, those nested in an object (`meta: { total }`) grouped in it. */
function pageEntries(members: PageMember[], entry: (member: PageMember) => string, depth = 0): string[] {
  // In declaration order: a member's entry, or the object holding the first member nested in it.
  const order: ({ entry: string } | { group: string })[] = [];
  const groups = new Map<string, PageMember[]>();
  for (const m of members) {
    const parent = m.parents?.[depth];
    if (parent === undefined) order.push({ entry: entry(m) });
    else if (groups.has(parent)) groups.get(parent)?.push(m);
    else {
      groups.set(parent, [m]);
      order.push({ group: parent });
    }
  }
  return order.map((o) => ('entry' in o ? o.entry : `${key(o.group)}: { ${pageEntries(groups.get(o.group) ?? [], entry, depth + 1).join(', ')} }`));
}

function key(name: string): string {
  return IDENTIFIER.test(name) ? name : stringLiteral(name);
}

/** A template literal of a spec path under the base path, its parameters filled with expressions. */
export function pathLiteral(basePath: string, path: string, values: (parameter: string) => string): string {
  const escape = (text: string) => text.replace(/[\\`]/g, '\\$&').replace(/\$\{/g, '\\${');
  const parts = `${basePath}${path}`.split(/(\{[^{}]+\})/);
  return `\`${parts.map((part) => (/^\{[^{}]+\}$/.test(part) ? `\${encodeURIComponent(${values(part.slice(1, -1))})}` : escape(part))).join('')}\``;
}

export function buildMappers(crud: CrudModel, domain: DomainModel, basePath: string): MappersView {
  const entities = new Map(domain.entities.map((e) => [e.names.original, e]));
  const usedEntities = new Set<string>();
  const usedValueObjects = new Set<string>();
  const callerImports = { caller: new Set<string>() };
  let readsCaller = false;
  const functions = crud.shapes
    .slice()
    .sort((a, b) => a.name.localeCompare(b.name))
    .map((shape) => {
      (shape.source.kind === 'entity' ? usedEntities : usedValueObjects).add(shape.source.name);
      readsCaller ||= readsCallerShape(shape);
      return mapperFunction(shape, entities, basePath, callerImports);
    });
  return {
    callerHelpers: [...callerImports.caller].sort(),
    callerImport: readsCaller ? callerImportLine(callerImports.caller) : undefined,
    entityImports: [...usedEntities].sort().map((name) => ({ className: pascalCase(name), fileStem: kebabCase(name, 'entity') })),
    valueObjectImports: [...usedValueObjects].sort().map((name) => ({ className: pascalCase(name), fileStem: kebabCase(name, 'value') })),
    usesComponents: crud.shapes.some((s) => s.component !== undefined),
    functions,
  };
}

export function mapperName(shape: OutputShape): string {
  return `to${shape.name}`;
}

/** The import of src/models/caller.ts by the mappers: the `Caller` type and the helpers their conditions call. */
function callerImportLine(helpers: ReadonlySet<string>): string {
  if (helpers.size === 0) return `import type { Caller } from '../models/caller.js';`;
  return `import { ${[...helpers].sort().join(', ')}, type Caller } from '../models/caller.js';`;
}

/** Whether a representation (or one nested in it) shows a value relative to the caller: its mapper then takes the caller. */
export function readsCallerShape(shape: OutputShape): boolean {
  return shape.properties.some((p) => p.kind === 'caller' || ((p.kind === 'children' || p.kind === 'value-object') && readsCallerShape(p.shape)));
}

function childrenOf(shape: OutputShape): Extract<OutputProperty, { kind: 'children' }>[] {
  return shape.properties.filter((p): p is Extract<OutputProperty, { kind: 'children' }> => p.kind === 'children');
}

function mapperFunction(shape: OutputShape, entities: Map<string, Entity>, basePath: string, callerImports: { caller: Set<string> }): string {
  const className = pascalCase(shape.source.name);
  const variable = variableFor(shape.source.name);
  const children = childrenOf(shape);
  const entity = entities.get(shape.source.name);
  const parameters = [`${variable}: ${className}`];
  if (children.length > 0) {
    const members = children.map((c) => `${key(c.relation)}: readonly ${pascalCase(c.shape.source.name)}[]`).join('; ');
    parameters.push(`related: { ${members} }`);
  }
  if (readsCallerShape(shape)) parameters.push('caller: Caller | undefined');
  const returnType = shape.component === undefined ? '' : `: Readable<components['schemas'][${stringLiteral(shape.component)}]>`;
  const properties = shape.properties.map((p) => outputProperty(p, variable, entity, basePath, shape.component, { entities, imports: callerImports }));
  const what = shape.component === undefined ? `${className} in the API's representation` : `${className} as the spec's ${shape.component} schema represents it`;
  return `/** ${what}. */
export function ${mapperName(shape)}(${parameters.join(', ')})${returnType} {
  return {
    ${properties.join(',\n    ')}
  };
}`;
}

function outputProperty(property: OutputProperty, variable: string, entity: Entity | undefined, basePath: string, component: string | undefined, callers: { entities: Map<string, Entity>; imports: { caller: Set<string> } }): string {
  const field = 'field' in property ? property.field : property.property;
  // A serial id is null until the row exists; entities that reach a response are stored.
  const value = member(variable, field === 'id' && entity?.identity === 'serial' ? 'storedId' : field);
  switch (property.kind) {
    case 'field': {
      // A JSON column holds what the validated request sent; it is read back as the spec's type.
      const jsonType = `Readable<components['schemas'][${stringLiteral(component ?? '')}]>[${stringLiteral(property.property)}]`;
      const convert = (expression: string) =>
        property.conversion === 'date-to-string' ? `${expression}.toISOString()` : property.conversion === 'json-cast' ? `${expression} as ${jsonType}` : expression;
      if (property.omitWhenNull) return `...(${value} !== null && { ${key(property.property)}: ${convert(value)} })`;
      if (property.nullable && property.conversion === 'date-to-string') return `${key(property.property)}: ${value}?.toISOString() ?? null`;
      return `${key(property.property)}: ${convert(value)}`;
    }
    case 'value-object': {
      const call = `${mapperName(property.shape)}(${value})`;
      return `${key(property.property)}: ${property.nullable ? `${value} === null ? null : ${call}` : call}`;
    }
    case 'children': {
      const child = variableFor(property.shape.source.name);
      return `${key(property.property)}: ${member('related', property.relation)}.map((${child}) => ${mapperName(property.shape)}(${child}${readsCallerShape(property.shape) ? ', caller' : ''}))`;
    }
    case 'caller': {
      // A condition on the caller and the row (the model's computed value), false for a caller it cannot hold for.
      const computed = entity?.computed.find((c) => c.names.camel === property.computed) as Computed;
      return `${key(property.property)}: ${policyToPredicate(computed.expression, entity as Entity, callers.entities, callers.imports, 'caller', variable)}`;
    }
    case 'links':
      return `${key(property.property)}: {\n${property.links.map((link) => linkEntry(link, variable, entity, basePath)).join(',\n')}\n}`;
  }
}

function linkEntry(link: LinkSpec, variable: string, entity: Entity | undefined, basePath: string): string {
  const url = pathLiteral(basePath, link.path, (parameter) => {
    const source = link.values[parameter] ?? 'id';
    return source === 'id' && entity?.identity === 'serial' ? `${variable}.storedId` : member(variable, source);
  });
  if (link.whenAllowed === undefined) return `${key(link.name)}: ${url}`;
  return `...(${variable}.can(${stringLiteral(link.whenAllowed)}) && { ${key(link.name)}: ${url} })`;
}

/** The service code of one resource's implemented operations. */
/** `statuses`: the response statuses the spec declares per operationId (`200`, `403`, `4XX`, `DEFAULT`). */
export function buildServiceCode(operations: CrudOperation[], crud: CrudModel, domain: DomainModel, basePath: string, statuses: ReadonlyMap<string, readonly string[]> = new Map()): ServiceCode {
  const entities = new Map(domain.entities.map((e) => [e.names.original, e]));
  const methods = new Map<string, ImplementedMethod>();
  const mappers = new Set<string>();
  const entityClasses = new Set<string>();
  const valueObjects = new Set<string>();
  const support = new Set<string>();
  const errors = new Set<string>();
  const domainRules = new Set<string>();
  const callerHelpers = new Set<string>();
  let usesEnvelope = false;
  let randomUuid = false;
  let passwordHash: string | undefined;
  let gateways = false;
  for (const operation of operations) {
    const entity = entities.get(operation.entity) as Entity;
    const writer = new MethodWriter(operation, entity, entities, crud, basePath, domain, statuses.get(operation.operationId) ?? []);
    if (domain.signIn?.passwordPolicy) writer.passwordHasher = 'hashNewPassword';
    methods.set(operation.operationId, { body: writer.write(), usesContext: writer.usesContext });
    writer.mappers.forEach((m) => mappers.add(m));
    writer.entityClasses.forEach((c) => entityClasses.add(c));
    writer.valueObjects.forEach((v) => valueObjects.add(v));
    writer.support.forEach((s) => support.add(s));
    writer.errors.forEach((e) => errors.add(e));
    writer.domainRules.forEach((f) => domainRules.add(f));
    writer.callerHelpers.forEach((h) => callerHelpers.add(h));
    usesEnvelope ||= writer.usesEnvelope;
    randomUuid ||= writer.needsRandomUuid;
    gateways ||= writer.usesGateways;
    if (writer.hashesPasswords) passwordHash = writer.passwordHasher;
  }
  return { methods, uses: { envelope: usesEnvelope, randomUuid, passwordHash, errors, mappers, entities: entityClasses, valueObjects, support, domainRules, callerHelpers, gateways } };
}

/** The import declarations of a service base: its own needs plus those of the implemented methods. */
export function serviceImports(code: ServiceCode | undefined, base: { dtoNamespace: string; fileStem: string; hasStubs: boolean; persistence: boolean }): string[] {
  const uses = code?.uses;
  const errors = new Set([...(uses?.errors ?? []), ...(base.hasStubs ? ['NotImplementedError'] : [])]);
  const imports = [
    ...(uses?.randomUuid ? [`import { randomUUID } from 'node:crypto';`] : []),
    uses?.envelope ? `import { envelope, type RequestContext } from '../dto/operation-types.js';` : `import type { RequestContext } from '../dto/operation-types.js';`,
    `import type * as ${base.dtoNamespace} from '../dto/${base.fileStem}.dto.gen.js';`,
  ];
  if (uses && uses.mappers.size > 0) imports.push(`import { ${[...uses.mappers].sort().join(', ')} } from '../dto/mappers.gen.js';`);
  if (errors.size > 0) imports.push(`import { ${[...errors].sort().join(', ')} } from '../errors/index.js';`);
  for (const name of [...(uses?.entities ?? [])].sort()) imports.push(`import { ${pascalCase(name)} } from '../models/${kebabCase(name, 'entity')}.entity.js';`);
  for (const name of [...(uses?.valueObjects ?? [])].sort()) imports.push(`import { ${pascalCase(name)} } from '../models/${kebabCase(name, 'value')}.value.js';`);
  if (uses && uses.callerHelpers.size > 0) imports.push(`import { ${[...uses.callerHelpers].sort().join(', ')} } from '../models/caller.js';`);
  if (base.persistence) imports.push(`import type { Repositories, UnitOfWork } from '../repositories/repositories.gen.js';`);
  if (uses && uses.support.size > 0) imports.push(`import { ${[...uses.support].sort().join(', ')} } from './crud-support.js';`);
  if (uses?.passwordHash) imports.push(`import { ${uses.passwordHash} } from '../utils/password-hash.js';`);
  if (uses && uses.domainRules.size > 0) imports.push(`import { ${[...uses.domainRules].sort().join(', ')} } from './domain-rules.gen.js';`);
  return imports;
}

/**
 * The filter of a list that names the rows' owner (`customerId`), when the list rule admits callers to
 * their own rows and otherwise only by who they are (`customer == auth.sub or hasRole('admin')`) and
 * the spec declares a 403 for it: such a filter on another owner is refused, not answered empty.
 */
export function ownerFilter(operation: CrudOperation, entity: Entity, entities: ReadonlyMap<string, Entity>, statuses: readonly string[]): { filter: FilterMapping; callerOnly: Expression[] } | undefined {
  const list = operation.list;
  const rule = ruleFor(entity.policies, 'list');
  if (!list || !rule || !statuses.includes('403')) return undefined;
  let owner: string | undefined;
  const callerOnly: Expression[] = [];
  for (const alternative of alternativesOf(rule.expression)) {
    const property = ownerProperty(alternative, entity, entities);
    if (property !== undefined && (owner === undefined || owner === property)) owner = property;
    else if (fieldsOf(alternative).size === 0) callerOnly.push(alternative);
    else return undefined;
  }
  const filter = owner === undefined ? undefined : list.filters.find((f) => f.operator === 'eq' && f.fields.length === 1 && f.fields[0] === owner);
  return filter && { filter, callerOnly };
}

/** Whether the entity's create rule admits a caller whose subject is the new row's id (`id == auth.sub or ...`). */
export function bindsIdToCaller(entity: Entity): boolean {
  const rule = entity.policies?.rules.get('create')?.expression;
  return rule !== undefined && alternativesOf(rule).some((alternative) => ownerProperty(alternative, entity, new Map()) === 'id');
}

/** Writes one implemented service method, collecting what it needs to import. */
class MethodWriter {
  readonly mappers = new Set<string>();
  readonly entityClasses = new Set<string>();
  readonly valueObjects = new Set<string>();
  readonly support = new Set<string>();
  readonly errors = new Set<string>();
  readonly domainRules = new Set<string>();
  readonly callerHelpers = new Set<string>();
  usesEnvelope = false;
  usesContext = false;
  needsRandomUuid = false;
  usesGateways = false;
  /** A request's password is stored as its hash (sign-in's credentials entity), by this function of src/utils/password-hash.ts. */
  hashesPasswords = false;
  passwordHasher: 'hashPassword' | 'hashNewPassword' = 'hashPassword';
  private readonly variable: string;
  private readonly repository: string;

  constructor(
    private readonly operation: CrudOperation,
    private readonly entity: Entity,
    private readonly entities: Map<string, Entity>,
    private readonly crud: CrudModel,
    private readonly basePath: string,
    private readonly domain: DomainModel,
    private readonly statuses: readonly string[],
  ) {
    this.variable = variableFor(entity.names.original);
    this.repository = `this.repositories.${repositoryProperty(entity)}`;
  }

  write(): string {
    const op = this.operation;
    if (op.textBodies.length === 0) return this.writeKind();
    this.errors.add('NotImplementedError');
    const guard = `if (typeof input.body === 'string') throw new NotImplementedError(${stringLiteral(`${op.operationId} with a ${op.textBodies.join(' or ')} body`)});`;
    return `${guard}\n${this.writeKind()}`;
  }

  private writeKind(): string {
    const op = this.operation;
    switch (op.kind) {
      case 'list':
        return this.list();
      case 'get':
        return [...this.load(), this.respond(this.variable)].join('\n');
      case 'create':
        return this.create();
      case 'replace':
      case 'update':
        return op.singleton && op.kind === 'replace' ? this.upsert() : this.change();
      case 'delete': {
        // A state the model refuses deletes in, or a condition of its changesRefusedWhile, is checked on the loaded entity.
        const guard = this.entity.stateMachine?.deletableIn || changeRefusalsOf(this.entity, 'delete').length > 0 ? [`${this.variable}.assertDeletable();`] : [];
        if (op.idField !== 'id' || op.ifMatch || this.entity.policies || guard.length > 0) return [...this.load(), ...this.versionCheck(), ...guard, `await ${this.repository}.remove(${this.variable}${this.noteOf(this.entity)});`].join('\n');
        return [...this.checkParent(), `await ${this.repository}.delete(${this.idArgument()}${this.noteOf(this.entity)});`].join('\n');
      }
      case 'action':
        return this.action();
    }
  }

  /** `, context.auth` for a mapper that shows a value relative to the caller; '' for any other. */
  private callerArgument(shape: OutputShape): string {
    if (!readsCallerShape(shape)) return '';
    this.usesContext = true;
    return ', context.auth';
  }

  /** A stored entity's id (serial ids are typed nullable until stored). */
  private idOf(variable: string): string {
    return this.entity.identity === 'serial' ? `${variable}.storedId` : `${variable}.id`;
  }

  private param(name: string): string {
    return member('input.params', name);
  }

  /** The access argument of a repository call on an entity with policies (none without). */
  private accessOf(entity: Entity, action: string): string[] {
    if (!entity.policies) return [];
    this.usesContext = true;
    return [`{ action: ${stringLiteral(action)}, caller: context.auth }`];
  }

  /**
   * The audit note of a write to an audited entity (`, { actor: ..., requestId: ... }`): who changes it
   * (the caller's subject), in which request, by which transition and why; '' for other entities.
   */
  /** The note the model's reactions log their changes of audited entities with: the request's caller (none without audited targets). */
  private reactionNote(): string {
    if (!reactionsTakeNote(this.domain)) return '';
    this.usesContext = true;
    return ', { actor: context.auth?.subject ?? null, requestId: context.requestId }';
  }

  private noteOf(entity: Entity, action?: string): string {
    if (!entity.audited) return '';
    this.usesContext = true;
    const reason = entity === this.entity ? this.operation.auditReason : undefined;
    const parts = [
      ...(action === undefined ? [] : [`action: ${stringLiteral(action)}`]),
      'actor: context.auth?.subject ?? null',
      ...(reason === undefined ? [] : [`reason: ${member('input.body', reason, this.operation.bodyOptional)}`]),
      'requestId: context.requestId',
    ];
    return `, { ${parts.join(', ')} }`;
  }

  /** What the operation does to the row it addresses, as the entity's policies name it. */
  private rowAction(): string {
    const op = this.operation;
    if (op.kind === 'action') return op.transition as string;
    if (op.kind === 'replace' || op.kind === 'update') return 'update';
    if (op.kind === 'delete') return 'delete';
    return 'read';
  }

  private idArgument(): string {
    return this.param(this.operation.idParameter as string);
  }

  /** A 404 for a missing parent (`/customers/{customerId}/orders` of an unknown customer). */
  private checkParent(): string[] {
    const scope = this.operation.scope;
    if (!scope || this.operation.kind === 'get' || this.operation.singleton) return [];
    const parent = this.entities.get(scope.parentEntity) as Entity;
    return [`await this.repositories.${repositoryProperty(parent)}.getById(${[this.param(scope.parameter), ...this.accessOf(parent, 'read')].join(', ')});`];
  }

  /** Loads the addressed entity: by id (and its parent, when nested), or through its parent (singleton). */
  private load(): string[] {
    const op = this.operation;
    const v = this.variable;
    if (op.singleton && op.scope) {
      this.errors.add('NotFoundError');
      return [
        `const ${v} = await ${this.repository}.findOne(${[`{ ${op.scope.relation}Id: ${this.param(op.scope.parameter)} }`, ...this.accessOf(this.entity, this.rowAction())].join(', ')});`,
        `if (!${v}) throw new NotFoundError(${stringLiteral(`No ${this.entity.names.original} for this ${op.scope.parentEntity}`)});`,
      ];
    }
    if (op.idField !== 'id') {
      this.errors.add('NotFoundError');
      return [
        `const ${v} = await ${this.repository}.findOne(${[`{ ${key(op.idField)}: ${this.idArgument()} }`, ...this.accessOf(this.entity, this.rowAction())].join(', ')});`,
        `if (!${v}) throw new NotFoundError(\`${this.entity.names.pascal} \${${this.idArgument()}} does not exist\`);`,
      ];
    }
    const lines = [`const ${v} = await ${this.repository}.getById(${[this.idArgument(), ...this.accessOf(this.entity, this.rowAction())].join(', ')});`];
    if (op.scope) {
      this.errors.add('NotFoundError');
      lines.push(
        `if (${member(v, `${op.scope.relation}Id`)} !== ${this.param(op.scope.parameter)}) throw new NotFoundError(\`${this.entity.names.pascal} \${${this.idArgument()}} does not exist\`);`,
      );
    }
    return lines;
  }

  /** The response: the mapped entity, with its children loaded first. */
  private respond(expression: string): string {
    const shape = this.operation.response.shape;
    if (!shape) return '';
    const etag = this.operation.etag ? `context.setHeader('ETag', \`"\${${expression}.version}"\`);\n` : '';
    if (etag) this.usesContext = true;
    return etag + this.respondBody(expression, shape);
  }

  private respondBody(expression: string, shape: OutputShape): string {
    this.mappers.add(mapperName(shape));
    const children = this.operation.children;
    if (children.length === 0) return `return ${mapperName(shape)}(${expression}${this.callerArgument(shape)});`;
    const loads = children.map((child) => {
      const childEntity = this.entities.get(child.entity) as Entity;
      return `${key(child.relation)}: await this.repositories.${repositoryProperty(childEntity)}.findAll({ ${child.inverse}Id: ${this.idOf(expression)} })`;
    });
    return `return ${mapperName(shape)}(${expression}, { ${loads.join(', ')} }${this.callerArgument(shape)});`;
  }

  private list(): string {
    const op = this.operation;
    const list = op.list;
    const shape = op.response.shape as OutputShape;
    if (!list) return '';
    const lines: string[] = [...this.checkParent()];
    const query = (name: string) => member('input.query', name);
    for (const name of list.unsupported) {
      this.errors.add('NotImplementedError');
      lines.push(`if (${query(name)} !== undefined) throw new NotImplementedError(${stringLiteral(`${op.operationId}: the "${name}" query parameter`)});`);
    }
    lines.push(...this.ownerFilterGuard());
    const paging = list.paging;
    if (paging?.style === 'page') {
      lines.push(`const page = ${query(paging.page)} ?? 1;`, `const size = ${query(paging.size)} ?? ${paging.defaultSize};`);
    } else if (paging?.style === 'offset') {
      lines.push(`const offset = ${query(paging.offset)} ?? 0;`, `const size = ${query(paging.limit)} ?? ${paging.defaultSize};`);
    } else if (paging?.style === 'cursor') {
      this.support.add('decodeCursor');
      lines.push(`const offset = decodeCursor(${query(paging.cursor)}, ${stringLiteral(paging.cursor)});`, `const size = ${query(paging.limit)} ?? ${paging.defaultSize};`);
    }
    const filter: string[] = [];
    if (op.scope) filter.push(`${op.scope.relation}Id: ${this.param(op.scope.parameter)}`);
    let search: string | undefined;
    // A field several parameters filter on (`priority` and `maxPriority`) gets one condition with every part.
    const conditions = new Map<string, Map<string, string>>();
    const single = new Map<string, string>();
    const add = (field: string, part: string, code: string, alone: string) => {
      if (!conditions.has(field)) conditions.set(field, new Map());
      const byPart = conditions.get(field) as Map<string, string>;
      if (!byPart.has(part)) byPart.set(part, code);
      if (byPart.size === 1 && !single.has(field)) single.set(field, alone);
    };
    for (const f of list.filters) {
      const value = query(f.parameter);
      const field = f.fields[0] as string;
      const date = f.conversion === 'string-to-date';
      const converted = date ? `${value} === undefined ? undefined : new Date(${value})` : value;
      switch (f.operator) {
        case 'eq':
          add(field, 'in', `in: ${converted} === undefined ? undefined : [${converted}]`, converted);
          break;
        case 'range':
          add(field, 'range', `...${converted}`, converted);
          break;
        case 'in': {
          const values = date ? `${value}?.map((value) => new Date(value))` : value;
          add(field, 'in', `in: ${values}`, `{ in: ${values} }`);
          break;
        }
        case 'gte':
        case 'lte':
          add(field, f.operator, `${f.operator}: ${converted}`, `{ ${f.operator}: ${converted} }`);
          break;
        case 'search':
          search = `${value} === undefined ? undefined : { text: ${value}, fields: [${f.fields.map(stringLiteral).join(', ')}] }`;
          break;
      }
    }
    for (const [field, byPart] of conditions) filter.push(`${key(field)}: ${byPart.size === 1 ? single.get(field) : `{ ${[...byPart.values()].join(', ')} }`}`);
    const queryParts = [`filter: { ${filter.join(', ')} }`];
    if (search) queryParts.push(`search: ${search}`);
    if (list.sort) {
      this.support.add('sortOf');
      const fields = Object.entries(list.sort.fields).map(([value, field]) => `${key(value)}: ${stringLiteral(field)}`);
      const value = list.sort.defaultValue === undefined ? query(list.sort.parameter) : `${query(list.sort.parameter)} ?? ${stringLiteral(list.sort.defaultValue)}`;
      queryParts.push(`sort: sortOf(${value}, { ${fields.join(', ')} })`);
    }
    if (paging) queryParts.push('limit: size', paging.style === 'page' ? 'offset: (page - 1) * size' : 'offset');
    lines.push(`const result = await ${this.repository}.list(${[`{ ${queryParts.join(', ')} }`, ...this.accessOf(this.entity, 'list')].join(', ')});`);

    this.mappers.add(mapperName(shape));
    const v = this.variable;
    let mapped = `result.items.map((${v}) => ${mapperName(shape)}(${v}${this.callerArgument(shape)}))`;
    if (op.children.length > 0) {
      const ids = `result.items.map((${v}) => ${this.idOf(v)})`;
      const related: string[] = [];
      for (const child of op.children) {
        const childEntity = this.entities.get(child.entity) as Entity;
        const childVariable = variableFor(child.entity);
        lines.push(`const ${child.relation} = await this.repositories.${repositoryProperty(childEntity)}.findAll({ ${child.inverse}Id: { in: ${ids} } });`);
        related.push(`${key(child.relation)}: ${child.relation}.filter((${childVariable}) => ${childVariable}.${child.inverse}Id === ${this.idOf(v)})`);
      }
      mapped = `result.items.map((${v}) => ${mapperName(shape)}(${v}, { ${related.join(', ')} }${this.callerArgument(shape)}))`;
    }
    const offset = paging?.style === 'page' ? '(page - 1) * size' : 'offset';
    const members = [...list.meta, ...(list.wrapper?.members ?? [])];
    if (members.some((m) => m.value === 'hasMore' || m.value === 'nextCursor')) lines.push(`const hasMore = ${offset} + size < result.total;`);
    const values: Record<PageValue, string> = {
      page: paging?.style === 'page' ? 'page' : 'Math.floor(offset / size) + 1',
      size: 'size',
      offset,
      total: 'result.total',
      totalPages: 'Math.ceil(result.total / size)',
      hasMore: 'hasMore',
      nextCursor: 'encodeCursor(offset + size)',
    };
    const entry = (m: PageMember) => {
      if (m.value !== 'nextCursor') return m.property === values[m.value] ? m.property : `${key(m.property)}: ${values[m.value]}`;
      this.support.add('encodeCursor');
      // A cursor that may not be null is left out on the last page.
      return m.nullable ? `${key(m.property)}: hasMore ? ${values.nextCursor} : null` : `...(hasMore && { ${key(m.property)}: ${values.nextCursor} })`;
    };
    const listed = list.wrapper ? `{ ${[`${key(list.wrapper.items)}: ${mapped}`, ...pageEntries(list.wrapper.members, entry)].join(', ')} }` : mapped;
    if (!op.response.envelope) {
      lines.push(`return ${listed};`);
      return lines.join('\n');
    }
    this.usesEnvelope = true;
    const parts = [`data: ${listed}`];
    if (list.meta.length > 0) parts.push(`meta: { ${pageEntries(list.meta, entry).join(', ')} }`);
    if (list.pageLinks && paging) {
      this.support.add('pageLinks');
      this.usesContext = true;
      const style =
        paging.style === 'page'
          ? `{ style: 'page', page: ${stringLiteral(paging.page)}, size: ${stringLiteral(paging.size)} }`
          : paging.style === 'offset'
            ? `{ style: 'offset', offset: ${stringLiteral(paging.offset)}, limit: ${stringLiteral(paging.limit)} }`
            : `{ style: 'cursor', cursor: ${stringLiteral(paging.cursor)}, limit: ${stringLiteral(paging.limit)} }`;
      lines.push(`const links = pageLinks(context.url, ${style}, { ${offset === 'offset' ? 'offset' : `offset: ${offset}`}, size, total: result.total });`);
      const all = list.pageLinks.length === 5 && list.pageLinks.every((l) => l.nullable || (l.property !== 'next' && l.property !== 'prev'));
      const linkEntry = (l: { property: string; nullable: boolean }) => {
        const value = member('links', l.property);
        const mayBeNull = l.property === 'next' || l.property === 'prev';
        return mayBeNull && !l.nullable ? `...(${value} !== null && { ${key(l.property)}: ${value} })` : `${key(l.property)}: ${value}`;
      };
      parts.push(all ? 'links' : `links: { ${list.pageLinks.map(linkEntry).join(', ')} }`);
    } else if (list.pageLinks) {
      this.usesContext = true;
      parts.push(`links: { self: context.url }`);
    }
    lines.push(`return envelope({ ${parts.join(', ')} });`);
    return lines.join('\n');
  }

  /**
   * A list whose rule admits callers to their own rows (`customer == auth.sub or hasRole('admin')`) and
   * whose spec declares a 403: a filter on another owner is refused instead of answered with no rows.
   */
  private ownerFilterGuard(): string[] {
    const guarded = ownerFilter(this.operation, this.entity, this.entities, this.statuses);
    if (!guarded) return [];
    const { filter, callerOnly } = guarded;
    this.usesContext = true;
    this.errors.add('AuthorizationError');
    const imports = { caller: new Set<string>() };
    const admitted = callerOnly.map((e) => policyToPredicate(e, this.entity, this.entities, imports, 'context.auth'));
    imports.caller.forEach((h) => this.callerHelpers.add(h));
    const value = member('input.query', filter.parameter);
    const allowed = [`${value} === context.auth?.subject`, ...admitted].join(' || ');
    return [
      `if (${value} !== undefined && !(${allowed})) {`,
      `throw new AuthorizationError(${stringLiteral(`You may only list your own ${plural(this.entity.names.original)}`)});`,
      '}',
    ];
  }

  /** Field values from the request body, converted to the entity's types. */
  private inputEntries(properties: InputProperty[], body: string, mode: 'create' | 'replace' | 'patch', bodyOptional = false): string[] {
    return properties.map((p) => {
      const value = member(body, p.property, bodyOptional);
      if (!p.optional && !bodyOptional) return `${key(p.field)}: ${this.convert(p, value)}`;
      // Optional: a patch changes only what was sent; create/replace clear an absent nullable field.
      // `body?.x !== undefined` proves the body is there: the value reads it plainly.
      const present = member(body, p.property);
      if (mode === 'patch' || !p.fieldNullable) return `...(${value} !== undefined && { ${key(p.field)}: ${this.convert(p, present)} })`;
      if (p.kind === 'field' && p.conversion === 'none') return `${key(p.field)}: ${value} ?? null`;
      return `${key(p.field)}: ${value} === undefined || ${value} === null ? null : ${this.convert({ ...p, nullable: false }, value)}`;
    });
  }

  /** A present request value as the entity stores it (null stays null where the API allows it). */
  private convert(p: InputProperty, value: string): string {
    let converted = value;
    if (p.kind === 'value-object') {
      this.valueObjects.add(p.valueObject);
      converted = `new ${pascalCase(p.valueObject)}({ ${this.inputEntries(p.properties, value, 'create').join(', ')} })`;
    } else if (p.conversion === 'string-to-date') converted = `new Date(${value})`;
    else if (p.conversion === 'password-hash') {
      this.hashesPasswords = true;
      converted = `await ${this.passwordHasher}(${value})`;
    }
    return p.nullable && converted !== value ? `${value} === null ? null : ${converted}` : converted;
  }

  private create(): string {
    const op = this.operation;
    const v = this.variable;
    if (op.childInputs.length > 0 || this.copies(this.entity).length > 0) return this.createAggregate();
    const created = this.newValues(this.entity, op.input, 'input.body', this.rootExtras());
    const location = this.location(v);
    const keep = op.response.shape !== undefined || location.length > 0;
    const calls = this.gatewayCalls('created', 'recorded', v, keep);
    // With gateway calls to follow, the stored record is what they start from; the response shows where they left it.
    const stored = calls.length > 0 ? 'recorded' : keep ? v : undefined;
    const after = this.afterCreate([{ entity: this.entity, variable: 'created', many: false }]);
    if (after.length === 0) return [...this.checkParent(), ...this.insertChecked(this.repository, created, stored), ...calls, ...location, ...(keep ? [this.respond(v)] : [])].join('\n');
    // The model's checks and reactions join the insert in one transaction.
    return [
      ...this.checkParent(),
      `${stored ? `const ${stored} = ` : ''}await this.unitOfWork.run(async (repositories) => {`,
      ...this.insertChecked(`repositories.${repositoryProperty(this.entity)}`, created, 'created'),
      ...after,
      ...(stored ? ['return created;'] : []),
      '});',
      ...calls,
      ...location,
      ...(keep ? [this.respond(v)] : []),
    ].join('\n');
  }

  /**
   * The model's gateway calls that follow a committed change of the entity (`on`: created or a
   * transition), from the record stored as `from`; `keep`: their result, `variable`, is the response's record.
   */
  private gatewayCalls(on: string, from: string, variable: string, keep: boolean): string[] {
    const hook = afterHook(this.domain, { entity: this.entity.names.original, on });
    if (!hook) return [];
    this.domainRules.add(hook);
    this.usesGateways = true;
    return [`${keep ? `const ${variable} = ` : ''}await ${hook}(${from}, this.gateways, this.unitOfWork${this.reactionNote()});`];
  }

  /**
   * The model's checks of new entities (each part, then the root) and its reactions to their
   * creation, run in the unit of work of the insert (`repositories` is its own).
   */
  private afterCreate(created: { entity: Entity; variable: string; many: boolean }[]): string[] {
    const lines: string[] = [];
    const each = (item: (typeof created)[number], call: (variable: string) => string): string => {
      if (!item.many) return call(item.variable);
      const single = variableFor(item.entity.names.original);
      return `for (const ${single} of ${item.variable}) ${call(single)}`;
    };
    for (const item of created) {
      const hook = checkHook(item.entity);
      if (!hook) continue;
      this.domainRules.add(hook);
      lines.push(each(item, (variable) => `await ${hook}(${variable}, repositories);`));
    }
    for (const item of created) {
      const hook = reactionHook(this.domain, { entity: item.entity.names.original, on: 'created' });
      if (!hook) continue;
      this.domainRules.add(hook);
      lines.push(each(item, (variable) => `await ${hook}(${variable}, repositories${this.reactionNote()});`));
    }
    return lines;
  }

  /** Inserts a new entity, after its create policy (when the model has one) allows it for the caller. */
  private insertChecked(repository: string, values: string, variable: string | undefined, id?: string): string[] {
    const className = pascalCase(this.entity.names.original);
    const created = `${className}.create(${values}${id ? `, ${id}` : ''})`;
    const assign = variable === undefined ? '' : `const ${variable} = `;
    if (!this.entity.policies?.rules.has('create')) return [`${assign}await ${repository}.insert(${created}${this.noteOf(this.entity)});`];
    this.usesContext = true;
    this.errors.add('AuthorizationError');
    const candidate = `new${this.entity.names.pascal}`;
    if (bindsIdToCaller(this.entity) && this.entity.identity === 'uuid' && id === undefined) {
      // The create rule binds the row to its creator (`id == auth.sub`): nothing in the request names the id,
      // so a caller the rest of the rule does not admit gets their own subject as the new row's id (a UUID
      // subject only: any other could never be the id, and the rule refuses the create).
      this.callerHelpers.add('subjectAsUuid');
      const named = `${variableFor(this.entity.names.original)}Values`;
      return [
        `const ${named} = ${values};`,
        `const fresh = ${className}.create(${named});`,
        `const subject = subjectAsUuid(context.auth);`,
        `const ${candidate} = fresh.mayBeCreatedBy(context.auth) || subject === undefined ? fresh : ${className}.create(${named}, subject);`,
        `if (!${candidate}.mayBeCreatedBy(context.auth)) throw new AuthorizationError(${stringLiteral(`You may not create this ${this.entity.names.original}`)});`,
        `${assign}await ${repository}.insert(${candidate});`,
      ];
    }
    return [
      `const ${candidate} = ${created};`,
      `if (!${candidate}.mayBeCreatedBy(context.auth)) throw new AuthorizationError(${stringLiteral(`You may not create this ${this.entity.names.original}`)});`,
      `${assign}await ${repository}.insert(${candidate}${this.noteOf(this.entity)});`,
    ];
  }

  /** What a new root gets besides the request: its parent from the path, empty optional fields, the initial state. */
  private rootExtras(): string[] {
    const op = this.operation;
    const extras = op.scope ? [`${op.scope.relation}Id: ${this.param(op.scope.parameter)}`] : [];
    extras.push(...this.emptyFields(this.entity, op.input, op.scope?.relation));
    const machine = this.entity.stateMachine;
    const stateField = machine && this.entity.fields.find((f) => f.names.camel === machine.field);
    if (machine && stateField && stateField.default === undefined) extras.push(`${machine.field}: ${stringLiteral(machine.initial)}`);
    return extras;
  }

  private newEntity(entity: Entity, input: InputProperty[], body: string, extras: string[], id?: string): string {
    return `${pascalCase(entity.names.original)}.create(${this.newValues(entity, input, body, extras)}${id ? `, ${id}` : ''})`;
  }

  /** The object literal `create()` of a new entity takes. */
  private newValues(entity: Entity, input: InputProperty[], body: string, extras: string[]): string {
    this.entityClasses.add(entity.names.original);
    const entries = [...this.inputEntries(input, body, 'create'), ...extras].map((entry) => entry.replace(/^(\w+): \1$/, '$1'));
    return `{ ${entries.join(', ')} }`;
  }

  private location(variable: string): string[] {
    const item = this.crud.itemPaths.get(this.entity.names.original);
    if (!this.operation.response.location || !item) return [];
    this.usesContext = true;
    const idText = item.field !== 'id' ? member(variable, item.field) : this.entity.identity === 'serial' ? `${variable}.storedId` : `${variable}.id`;
    return [`context.setHeader('Location', ${pathLiteral(this.basePath, item.path, () => idText)});`];
  }

  /** Fields of an entity copied from a referenced entity on creation (`unitPriceCents` from the product). */
  private copies(entity: Entity): { field: string; relation: string; source: string; target: Entity }[] {
    return entity.fields.flatMap((f) => {
      const derived = f.derivedFrom;
      const relation = derived?.kind === 'copy' ? entity.relations.find((r) => r.names.original === derived.relation) : undefined;
      const target = relation && this.entities.get(relation.target);
      return derived && relation && target ? [{ field: f.names.camel, relation: relation.names.camel, source: derived.field, target }] : [];
    });
  }

  /**
   * An aggregate created with its parts in one transaction: the root's id first, then each part
   * (with the fields it copies from what it refers to), then the root with the sums over its parts.
   */
  private createAggregate(): string {
    const op = this.operation;
    const v = this.variable;
    const lines = [...this.checkParent(), `const created = await this.unitOfWork.run(async (repositories) => {`];
    const idVariable = `${v}Id`;
    lines.push(`const ${idVariable} = randomUUID();`);
    this.needsRandomUuid = true;
    const rootExtras = this.rootExtras();
    const loadCopies = (entity: Entity, input: InputProperty[], body: string, extras: string[]): string[] => {
      const loads: string[] = [];
      for (const copy of this.copies(entity)) {
        const source = input.find((i) => i.field === `${copy.relation}Id`);
        const idExpression = source ? member(body, source.property) : undefined;
        if (!idExpression) continue;
        const variable = variableFor(copy.target.names.original);
        if (!loads.some((l) => l.startsWith(`const ${variable} `))) loads.push(`const ${variable} = await repositories.${repositoryProperty(copy.target)}.getById(${idExpression});`);
        extras.push(`${key(copy.field)}: ${variable}.${copy.source}`);
      }
      return loads;
    };
    const partsByRelation = new Map<string, string>();
    for (const child of op.childInputs) {
      const childEntity = this.entities.get(child.entity) as Entity;
      const childVariable = variableFor(child.entity);
      const inputVariable = `${childVariable}Input`;
      const extras = [`${child.inverse}Id: ${idVariable}`, ...this.emptyFields(childEntity, child.input, child.inverse)];
      const loads = loadCopies(childEntity, child.input, inputVariable, extras);
      lines.push(
        `const ${child.relation}: ${pascalCase(child.entity)}[] = [];`,
        `for (const ${inputVariable} of ${member('input.body', child.property)}) {`,
        ...loads,
        `${child.relation}.push(${this.newEntity(childEntity, child.input, inputVariable, extras)});`,
        '}',
      );
      partsByRelation.set(child.relation, child.relation);
    }
    for (const field of this.entity.fields) {
      const derived = field.derivedFrom;
      if (derived?.kind !== 'sum') continue;
      const relation = this.entity.relations.find((r) => r.names.original === derived.relation);
      const parts = relation && partsByRelation.get(relation.names.camel);
      if (!parts) continue;
      const part = variableFor(relation.target);
      rootExtras.push(`${key(field.names.camel)}: ${parts}.reduce((sum, ${part}) => sum + ${part}.${derived.field}, 0)`);
    }
    lines.push(...loadCopies(this.entity, op.input, 'input.body', rootExtras));
    lines.push(...this.insertChecked(`repositories.${repositoryProperty(this.entity)}`, this.newValues(this.entity, op.input, 'input.body', rootExtras), v, idVariable));
    const saved: string[] = [];
    const created: { entity: Entity; variable: string; many: boolean }[] = [];
    for (const child of op.childInputs) {
      const childEntity = this.entities.get(child.entity) as Entity;
      const childVariable = variableFor(child.entity);
      const savedName = `saved${pascalCase(child.relation)}`;
      lines.push(`const ${savedName}: ${pascalCase(child.entity)}[] = [];`, `for (const ${childVariable} of ${child.relation}) ${savedName}.push(await repositories.${repositoryProperty(childEntity)}.insert(${childVariable}${this.noteOf(childEntity)}));`);
      saved.push(`${key(child.relation)}: ${savedName}`);
      created.push({ entity: childEntity, variable: savedName, many: true });
    }
    lines.push(...this.afterCreate([...created, { entity: this.entity, variable: v, many: false }]));
    lines.push(`return { ${v}, ${saved.join(', ')} };`, '});');
    const shape = op.response.shape;
    // Gateway calls that follow the root's creation run once it committed; the response shows where they left it.
    const calls = this.gatewayCalls('created', `created.${v}`, v, shape !== undefined);
    lines.push(...calls);
    const root = calls.length > 0 && shape !== undefined ? v : `created.${v}`;
    lines.push(...this.location(root));
    if (shape) {
      this.mappers.add(mapperName(shape));
      const related = op.children.map((c) => `${key(c.relation)}: ${op.childInputs.some((i) => i.relation === c.relation) ? `created.${c.relation}` : '[]'}`);
      lines.push(`return ${mapperName(shape)}(${root}${related.length > 0 ? `, { ${related.join(', ')} }` : ''}${this.callerArgument(shape)});`);
    }
    return lines.join('\n');
  }

  /** Optional fields the request does not mention start empty (`create()` wants every field named). */
  private emptyFields(entity: Entity, input: InputProperty[], scopeRelation: string | undefined): string[] {
    const given = new Set([...input.map((i) => i.field), ...(scopeRelation ? [`${scopeRelation}Id`] : [])]);
    const optional = [
      ...entity.fields.filter((f) => !f.required && f.default === undefined && !f.derivedFrom).map((f) => f.names.camel),
      ...entity.relations.filter((r) => r.column !== undefined && !r.required).map((r) => `${r.names.camel}Id`),
    ];
    return optional.filter((name) => !given.has(name)).map((name) => `${name}: null`);
  }

  private versionCheck(): string[] {
    const op = this.operation;
    const lines: string[] = [];
    if (op.ifMatch) {
      this.errors.add('PreconditionFailedError');
      const v = this.variable;
      lines.push(
        `const ifMatch = ${member('input.headers', op.ifMatch)};`,
        `if (ifMatch !== undefined && ifMatch !== '*' && !ifMatch.split(',').some((tag) => tag.trim() === \`"\${${v}.version}"\`)) {`,
        `throw new PreconditionFailedError(\`${this.entity.names.pascal} has changed: its ETag is now "\${${v}.version}"\`);`,
        '}',
      );
    }
    if (!op.versionProperty) return lines;
    this.errors.add('VersionConflictError');
    const v = this.variable;
    const sent = member('input.body', op.versionProperty, op.bodyOptional);
    // An optional version is checked when sent; the repository's update still refuses a concurrent write.
    const stale = op.versionRequired && !op.bodyOptional ? `${sent} !== ${v}.version` : `${sent} !== undefined && ${sent} !== ${v}.version`;
    return [
      ...lines,
      `if (${stale}) {`,
      `throw new VersionConflictError(\`${this.entity.names.pascal} \${${v}.id} is at version \${${v}.version}, not \${${sent}}: reload it and try again\`, { details: { currentVersion: ${v}.version } });`,
      '}',
    ];
  }

  private change(): string {
    const op = this.operation;
    const v = this.variable;
    const entries = this.inputEntries(op.input, 'input.body', op.kind === 'update' ? 'patch' : 'replace', op.kind === 'update' && op.bodyOptional);
    const hook = reactionHook(this.domain, { entity: this.entity.names.original, on: 'updated' });
    if (!hook) return [...this.load(), ...this.versionCheck(), `${v}.update({ ${entries.join(', ')} });`, `const saved = await ${this.repository}.update(${v}${this.noteOf(this.entity)});`, this.respond('saved')].join('\n');
    // The model's reactions to an update join it in one transaction; they see the entity as it was before.
    this.domainRules.add(hook);
    const lines = [...this.load(), ...this.versionCheck(), `const before = ${v}.toProps();`, `${v}.update({ ${entries.join(', ')} });`, `const saved = await ${this.repository}.update(${v}${this.noteOf(this.entity)});`];
    return ['return this.unitOfWork.run(async () => {', ...lines, `await ${hook}(saved, before, this.repositories${this.reactionNote()});`, this.respond('saved'), '});'].join('\n');
  }

  /** PUT on a singleton child: replaced when it exists, created (with the parent's id) when not. */
  private upsert(): string {
    const op = this.operation;
    const scope = op.scope as NonNullable<CrudOperation['scope']>;
    const v = this.variable;
    const parent = this.entities.get(scope.parentEntity) as Entity;
    this.entityClasses.add(this.entity.names.original);
    const replace = this.inputEntries(op.input, 'input.body', 'replace');
    const extras = [`${scope.relation}Id: ${this.param(scope.parameter)}`, ...this.emptyFields(this.entity, op.input, scope.relation)];
    return [
      `await this.repositories.${repositoryProperty(parent)}.getById(${[this.param(scope.parameter), ...this.accessOf(parent, 'read')].join(', ')});`,
      `const existing = await ${this.repository}.findOne({ ${scope.relation}Id: ${this.param(scope.parameter)} });`,
      'if (!existing) {',
      `const ${v} = await ${this.repository}.insert(${this.newEntity(this.entity, op.input, 'input.body', extras)}${this.noteOf(this.entity)});`,
      this.respond(v),
      '}',
      `existing.update({ ${replace.join(', ')} });`,
      `const saved = await ${this.repository}.update(existing${this.noteOf(this.entity)});`,
      this.respond('saved'),
    ].join('\n');
  }

  private action(): string {
    const op = this.operation;
    const v = this.variable;
    const entries = this.inputEntries(op.input, 'input.body', 'patch', op.bodyOptional);
    const changes = entries.length > 0 ? `{ ${entries.join(', ')} }` : '';
    const lines = [...this.load(), ...this.versionCheck(), `${v}.${op.transition as string}(${changes});`, `const saved = await ${this.repository}.update(${v}${this.noteOf(this.entity, op.transition as string)});`];
    const transition = this.entity.stateMachine?.transitions.find((t) => t.names.original === op.transition || t.names.camel === op.transition);
    const hook = transition && reactionHook(this.domain, { entity: this.entity.names.original, on: transition.names.original });
    const calls = transition ? this.gatewayCalls(transition.names.original, hook ? 'recorded' : 'saved', 'settled', true) : [];
    if (calls.length > 0) {
      // Gateway calls follow once the transition (and its reactions) committed.
      if (!hook) return [...lines, ...calls, this.respond('settled')].join('\n');
      this.domainRules.add(hook);
      const run = ['const recorded = await this.unitOfWork.run(async () => {', ...lines, `await ${hook}(saved, this.repositories${this.reactionNote()});`, 'return saved;', '});'];
      return [...run, ...calls, this.respond('settled')].join('\n');
    }
    if (!hook) return [...lines, this.respond('saved')].join('\n');
    // The model's reactions to the transition join it in one transaction (this.repositories is the transaction's inside).
    this.domainRules.add(hook);
    return ['return this.unitOfWork.run(async () => {', ...lines, `await ${hook}(saved, this.repositories${this.reactionNote()});`, this.respond('saved'), '});'].join('\n');
  }
}

