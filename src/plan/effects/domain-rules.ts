/**
 * src/services/domain-rules.gen.ts of a project: the model's reactions (effects between aggregates)
 * and checks across relations, compiled to functions the services call inside the unit of work of
 * the change (a rule one of them breaks rolls the whole change back). Expressions are compiled from
 * their parsed trees; nothing of the model's text reaches the code but string literals and comments.
 */
import { toTypeScript, type Expression } from '../../model/domain/expression.js';
import { resolvePath } from '../../model/domain/policies.js';
import type { CrossCheck, DomainModel, Entity, GatewayCall, Reaction, ReactionTrigger, RelationHop } from '../../model/domain/types.js';
import { camelCase, commentText, kebabCase, pascalCase, RESERVED_WORDS, stringLiteral } from '../../model/naming.js';
import { ruleErrorClass } from '../entity-view.js';
import { repositoryProperty } from '../persistence-view.js';

export interface DomainRulesView {
  imports: string[];
  /** One exported function per trigger with reactions, and per entity with checks. */
  functions: string[];
}

/** The function a service calls after a trigger (`onOrderCreated`, `onOrderCancelled`), when the model declares reactions to it. */
export function reactionHook(domain: DomainModel | undefined, trigger: ReactionTrigger): string | undefined {
  return domain?.reactions.some((r) => sameTrigger(r.trigger, trigger)) ? hookName('on', domain, trigger) : undefined;
}

/**
 * The function a service calls once a change has committed (`afterPaymentCreated`), when the model
 * declares gateway calls that follow it. It returns the record as the outcomes left it.
 */
export function afterHook(domain: DomainModel | undefined, trigger: ReactionTrigger): string | undefined {
  return domain?.gatewayCalls.some((c) => sameTrigger(c.trigger, trigger)) ? hookName('after', domain, trigger) : undefined;
}

/** `on` or `after`, then the transition's event (`PaymentSucceeded`), else the entity and trigger (`OrderCreated`). */
function hookName(prefix: string, domain: DomainModel, trigger: ReactionTrigger): string {
  const entity = domain.entities.find((e) => e.names.original === trigger.entity);
  const transition = entity?.stateMachine?.transitions.find((t) => t.names.original === trigger.on);
  return `${prefix}${transition?.event !== undefined ? pascalCase(transition.event) : `${pascalCase(trigger.entity)}${pascalCase(trigger.on)}`}`;
}

/** The function a service calls for a new entity of this kind, when the model declares checks on it. */
export function checkHook(entity: Entity): string | undefined {
  return entity.checks.length > 0 ? `checkNew${entity.names.pascal}` : undefined;
}

/**
 * Whether the model's rules answer with the design's codes as 422 or 409 (the project's error classes),
 * and whether an invariant has a code (the model tests then expect that code, not a ValidationError).
 */
export function ruleErrorsOf(domain: DomainModel | undefined): { violation: boolean; conflict: boolean; codedInvariants: boolean } {
  const invariants = (domain?.entities ?? []).flatMap((e) => e.invariants.flatMap((i) => (i.violation ? [i.violation.status] : [])));
  // A delete refused while related records hold the entity, or a change while the row is in a refused condition, is a conflict with the design's code too.
  const statuses = [...invariants, ...(domain?.entities ?? []).flatMap((e) => [...e.checks.map((c) => c.status), ...[...e.deleteRefusals, ...e.changeRefusals].map(() => 409 as const)])];
  return { violation: statuses.includes(422), conflict: statuses.includes(409), codedInvariants: invariants.length > 0 };
}

function sameTrigger(a: ReactionTrigger, b: ReactionTrigger): boolean {
  return a.entity === b.entity && a.on === b.on;
}

/**
 * Whether the reactions change an audited entity: their functions then take the change's note (who,
 * which request) and each audited record they change is logged with the reaction's action.
 */
export function reactionsTakeNote(domain: DomainModel | undefined): boolean {
  return (domain?.reactions ?? []).some((r) => domain?.entities.find((e) => e.names.original === r.action.entity)?.audited === true);
}

/** The module's view, or undefined when the model declares neither reactions nor checks. */
export function buildDomainRules(domain: DomainModel | undefined): DomainRulesView | undefined {
  if (!domain || (domain.reactions.length === 0 && domain.gatewayCalls.length === 0 && domain.entities.every((e) => e.checks.length === 0))) return undefined;
  const entities = new Map(domain.entities.map((e) => [e.names.original, e]));
  const writer = new RulesWriter(domain, entities);
  const functions: string[] = [];
  const triggers: ReactionTrigger[] = [];
  for (const reaction of domain.reactions) if (!triggers.some((t) => sameTrigger(t, reaction.trigger))) triggers.push(reaction.trigger);
  for (const trigger of triggers) functions.push(writer.reactionFunction(trigger));
  for (const entity of domain.entities) if (entity.checks.length > 0) functions.push(writer.checkFunction(entity));
  // The model allows one gateway call per change (src/model/domain/gateways.ts).
  for (const call of domain.gatewayCalls) functions.push(writer.afterFunction(call));
  return { imports: writer.imports(), functions };
}

/** A variable name for an entity's record, unique within one function. */
class Names {
  private readonly used = new Set<string>(['repositories']);

  take(base: string): string {
    let name = camelCase(base, 'record');
    if (RESERVED_WORDS.has(name)) name = `${name}Record`;
    for (let n = 2; this.used.has(name); n++) name = `${camelCase(base, 'record')}${n}`;
    this.used.add(name);
    return name;
  }
}

/** Where a walk along relations stands: a loaded record, or only the id of one (enough to find what refers to it). */
type Position = { entity: Entity; variable: string } | { entity: Entity; id: string };

class RulesWriter {
  private readonly entityTypes = new Set<string>();
  private readonly entityValues = new Set<string>();
  /** Entities whose state type (`UserProps`) an update's reaction takes. */
  private readonly propsTypes = new Set<string>();
  private readonly errors = new Set<string>();
  private usesGateways = false;
  /** The reactions change audited entities: each function takes the change's note and passes it on. */
  private readonly noted: boolean;

  constructor(
    private readonly domain: DomainModel,
    private readonly entities: ReadonlyMap<string, Entity>,
  ) {
    this.noted = reactionsTakeNote(domain);
  }

  imports(): string[] {
    const lines: string[] = [];
    if (this.errors.size > 0) lines.push(`import { ${[...this.errors].sort().join(', ')} } from '../errors/index.js';`);
    for (const name of [...new Set([...this.entityTypes, ...this.entityValues])].sort()) {
      const typeOnly = !this.entityValues.has(name);
      lines.push(`import ${typeOnly ? 'type ' : ''}{ ${pascalCase(name)} } from '../models/${kebabCase(name, 'entity')}.entity.js';`);
    }
    for (const name of [...this.propsTypes].sort()) lines.push(`import type { ${pascalCase(name)}Props } from '../models/${kebabCase(name, 'entity')}.entity.gen.js';`);
    if (this.usesGateways) lines.push(`import type { Gateways } from '../gateways/gateways.gen.js';`);
    if (this.noted) lines.push(`import type { ChangeNote } from '../repositories/audit-log.js';`);
    lines.push(`import type { Repositories${this.usesGateways ? ', UnitOfWork' : ''} } from '../repositories/repositories.gen.js';`);
    return lines;
  }

  /** The arguments a reaction passes on to the reactions its change sets off. */
  private passOn(): string {
    return this.noted ? 'repositories, note' : 'repositories';
  }

  private entity(name: string): Entity {
    return this.entities.get(name) as Entity;
  }

  private idOf(entity: Entity, variable: string): string {
    return entity.identity === 'serial' ? `${variable}.storedId` : `${variable}.id`;
  }

  /** An expression over one record: its fields, computed values, references (by id) and id. */
  private over(entity: Entity, variable: string, expression: Expression): string {
    return toTypeScript(expression, (name) => `${variable}.${this.member(entity, name)}`);
  }

  /** The property of a record a name of the model reads. */
  private member(entity: Entity, name: string): string {
    if (name === 'id') return entity.identity === 'serial' ? 'storedId' : 'id';
    const relation = entity.relations.find((r) => r.names.original === name && r.column !== undefined);
    if (relation) return `${relation.names.camel}Id`;
    const field = entity.fields.find((f) => f.names.original === name) ?? entity.computed.find((c) => c.names.original === name);
    return field?.names.camel ?? name;
  }

  reactionFunction(trigger: ReactionTrigger): string {
    const source = this.entity(trigger.entity);
    const reactions = this.domain.reactions.filter((r) => sameTrigger(r.trigger, trigger));
    const names = new Names();
    const variable = names.take(source.names.original);
    this.entityTypes.add(source.names.original);
    // An update's reactions see the entity before the change too: `when` holds after it and did not before.
    const updated = trigger.on === 'updated';
    const before = updated ? names.take('before') : '';
    if (updated) this.propsTypes.add(source.names.original);
    const body = reactions.flatMap((reaction) => {
      const lines = this.reactionBody(reaction, source, variable, names);
      const when = reaction.when && `${wrap(this.over(source, variable, reaction.when.expression))} && !${wrap(this.over(source, before, reaction.when.expression))}`;
      return [`// ${commentText(describeReaction(reaction))}`, ...(when ? [`if (${when}) {`, ...lines, '}'] : lines)];
    });
    const what = trigger.on === 'created' ? `a new ${source.names.pascal}` : updated ? `an update (PUT, PATCH) of \`${variable}\`, which was \`${before}\` before it` : `the ${trigger.on} transition of ${article(source.names.pascal)}`;
    return [
      `/** What follows ${what}, as the model's reactions declare it; runs in the change's unit of work. */`,
      `export async function ${reactionHook(this.domain, trigger) as string}(${variable}: ${source.names.pascal}, ${updated ? `${before}: Readonly<${source.names.pascal}Props>, ` : ''}repositories: Repositories${this.noted ? ', note: ChangeNote' : ''}): Promise<void> {`,
      ...body,
      '}',
    ].join('\n');
  }

  private reactionBody(reaction: Reaction, source: Entity, variable: string, names: Names): string[] {
    const each = reaction.forEach;
    if (!each) return this.act(reaction, { entity: source, variable }, names);
    const entity = this.entity(each.entity);
    const item = names.take(entity.names.original);
    const lines = [`for (const ${item} of await repositories.${repositoryProperty(entity)}.findAll({ ${each.reference}: ${this.idOf(source, variable)} })) {`];
    if (each.where) lines.push(`if (!${wrap(this.over(entity, item, each.where.expression))}) continue;`);
    lines.push(...this.act(reaction, { entity, variable: item }, names), '}');
    return lines;
  }

  /** The reaction's action on its subject (the changed record, or one of its related records). */
  private act(reaction: Reaction, subject: { entity: Entity; variable: string }, names: Names): string[] {
    const action = reaction.action;
    if (action.kind === 'create') {
      const created = this.entity(action.entity);
      this.entityValues.add(created.names.original);
      const given = new Set(action.values.map((v) => v.property));
      const values = [
        ...action.values.map((v) => `${v.property}: ${this.over(subject.entity, subject.variable, v.expression)}`),
        ...created.fields.filter((f) => !f.required && f.default === undefined && !given.has(f.names.camel)).map((f) => `${f.names.camel}: null`),
        ...created.relations.filter((r) => r.column !== undefined && !r.required && !given.has(`${r.names.camel}Id`)).map((r) => `${r.names.camel}Id: null`),
      ];
      const insert = `await repositories.${repositoryProperty(created)}.insert(${created.names.pascal}.create({ ${values.join(', ')} })${created.audited ? ', note' : ''})`;
      const hook = reactionHook(this.domain, { entity: created.names.original, on: 'created' });
      return [hook ? `await ${hook}(${insert}, ${this.passOn()});` : `${insert};`];
    }
    const args = action.arguments.map((a) => this.over(subject.entity, subject.variable, a.expression));
    return this.walk({ entity: subject.entity, variable: subject.variable }, action.hops, names, (target) => {
      const call = `${target.variable}.${camelCase(action.member, 'method')}(${args.join(', ')});`;
      // An audited record is logged with the reaction's action (`reserve`) on behalf of the change's caller.
      const note = target.entity.audited ? `, { ...note, action: ${stringLiteral(action.member)} }` : '';
      const update = `await repositories.${repositoryProperty(target.entity)}.update(${target.variable}${note})`;
      const hook = action.memberKind === 'transition' ? reactionHook(this.domain, { entity: target.entity.names.original, on: action.member }) : undefined;
      return [call, hook ? `await ${hook}(${update}, ${this.passOn()});` : `${update};`];
    });
  }

  /** Follows the hops from a position to the records acted on, loading only what must be loaded. */
  private walk(position: Position, hops: readonly RelationHop[], names: Names, body: (target: { entity: Entity; variable: string }) => string[]): string[] {
    const [hop, ...rest] = hops;
    if (!hop) {
      if ('variable' in position) return body(position);
      const variable = names.take(position.entity.names.original);
      return [`const ${variable} = await repositories.${repositoryProperty(position.entity)}.getById(${position.id});`, ...body({ entity: position.entity, variable })];
    }
    const to = this.entity(hop.to);
    if (hop.kind === 'many-to-one') {
      if ('variable' in position) return this.walk({ entity: to, id: `${position.variable}.${hop.property}` }, rest, names, body);
      // A reference of a record not loaded yet: load it first.
      const variable = names.take(position.entity.names.original);
      return [`const ${variable} = await repositories.${repositoryProperty(position.entity)}.getById(${position.id});`, ...this.walk({ entity: to, id: `${variable}.${hop.property}` }, rest, names, body)];
    }
    const id = 'variable' in position ? this.idOf(position.entity, position.variable) : position.id;
    const variable = names.take(to.names.original);
    const repository = `repositories.${repositoryProperty(to)}`;
    if (hop.unique) {
      this.errors.add('ConflictError');
      const from = this.entity(hop.from);
      return [
        `const ${variable} = await ${repository}.findOne({ ${hop.reference}: ${id} });`,
        `if (!${variable}) throw new ConflictError(\`${from.names.pascal} \${${id}} has no ${to.names.pascal}\`);`,
        ...this.walk({ entity: to, variable }, rest, names, body),
      ];
    }
    return [`for (const ${variable} of await ${repository}.findAll({ ${hop.reference}: ${id} })) {`, ...this.walk({ entity: to, variable }, rest, names, body), '}'];
  }

  /** The call of an external service that follows a committed change (one per change; the model says so). */
  afterFunction(call: GatewayCall): string {
    this.usesGateways = true;
    const trigger = call.trigger;
    const entity = this.entity(trigger.entity);
    const variable = new Names().take(entity.names.original);
    const hook = afterHook(this.domain, trigger) as string;
    const what = trigger.on === 'created' ? `a new ${entity.names.pascal}` : `the ${trigger.on} transition of ${article(entity.names.pascal)}`;
    return [
      `/**`,
      ` * What follows ${what} once it has committed, as the model's gateway call declares it: never inside`,
      ` * the change's transaction, so a slow service holds no locks. The outcome moves the ${entity.names.pascal} on in`,
      ` * a unit of work of its own; returns it as the outcome left it.`,
      ` */`,
      `export async function ${hook}(${variable}: ${entity.names.pascal}, gateways: Gateways, unitOfWork: UnitOfWork${this.noted ? ', note: ChangeNote' : ''}): Promise<${entity.names.pascal}> {`,
      ...this.callBody(call, entity, variable, hook),
      '}',
    ].join('\n');
  }

  /** The call, then the outcome's transition (with its reactions) in a new unit of work. */
  private callBody(call: GatewayCall, entity: Entity, variable: string, hook: string): string[] {
    const gateway = this.domain.gateways.find((g) => g.names.original === call.gateway);
    const operation = gateway?.operations.find((o) => o.names.original === call.operation);
    if (!gateway || !operation) throw new Error(`gateway call ${call.gateway}.${call.operation} resolves to nothing`);
    const lines = [
      // A caller that wraps the service method in its own unit of work would make the call inside the transaction.
      'if (unitOfWork.current()) {',
      `throw new Error(${stringLiteral(`${hook} calls ${call.gateway} after the change commits; it was called inside a unit of work`)});`,
      '}',
      `// ${commentText(describeGatewayCall(call))}`,
    ];
    if (call.where) lines.push(`if (!${wrap(this.over(entity, variable, call.where.expression))}) return ${variable};`);
    const input = call.arguments.map((a) => `${camelCase(a.parameter, 'value')}: ${this.over(entity, variable, a.expression)}`);
    lines.push(`const { ${call.reasonProperty ? 'outcome, reason' : 'outcome'} } = await gateways.${gateway.names.camel}.${operation.names.camel}({ ${input.join(', ')} });`);
    const repository = `repositories.${repositoryProperty(entity)}`;
    const stored = `${variable}Now`;
    lines.push(`return unitOfWork.run(async (repositories) => {`);
    // The record as it is now: the change committed, and another request may have moved it since.
    lines.push(`const ${stored} = await ${repository}.getById(${this.idOf(entity, variable)});`);
    // A secret the service needed (a card token) is kept no longer than its answer.
    const cleared = call.arguments.flatMap((a) => {
      const field = a.expression.kind === 'field' ? entity.fields.find((f) => f.names.original === (a.expression as { name: string }).name) : undefined;
      return field?.secret && !field.required ? [`${field.names.camel}: null`] : [];
    });
    const reasonField = call.reasonProperty === undefined ? undefined : entity.fields.find((f) => f.names.camel === call.reasonProperty);
    const maxLength = reasonField?.constraints.maxLength;
    const reason = call.reasonProperty && `...(reason !== undefined && { ${call.reasonProperty}: reason${maxLength === undefined ? '' : `.slice(0, ${maxLength})`} })`;
    const success = call.outcomes[0]?.outcome;
    lines.push('switch (outcome) {');
    const byTransition = new Map<string, string[]>();
    for (const { outcome, transition } of call.outcomes) byTransition.set(transition, [...(byTransition.get(transition) ?? []), outcome]);
    for (const [transition, outcomes] of byTransition) {
      const note = entity.audited ? `, { ...note, action: ${stringLiteral(transition)} }` : '';
      const update = `await ${repository}.update(${stored}${note})`;
      const hookOf = reactionHook(this.domain, { entity: entity.names.original, on: transition });
      // The service's reason is kept for the outcomes other than the first (its success).
      const changes = [...cleared, ...(reason && outcomes.some((o) => o !== success) ? [reason] : [])];
      lines.push(...outcomes.map((outcome) => `case ${stringLiteral(outcome)}:`), '{');
      lines.push(`${stored}.${camelCase(transition, 'method')}(${changes.length > 0 ? `{ ${changes.join(', ')} }` : ''});`);
      if (hookOf) lines.push(`const saved = ${update};`, `await ${hookOf}(saved, ${this.passOn()});`, 'return saved;');
      else lines.push(`return ${update};`);
      lines.push('}');
    }
    lines.push('}', '});');
    return lines;
  }

  checkFunction(entity: Entity): string {
    const names = new Names();
    const variable = names.take(entity.names.original);
    this.entityTypes.add(entity.names.original);
    const loaded = new Map<string, string>();
    const lines: string[] = [];
    for (const relationName of new Set(entity.checks.flatMap((c) => c.relations))) {
      const relation = entity.relations.find((r) => r.names.original === relationName);
      if (!relation) continue;
      const target = this.entity(relation.target);
      const related = names.take(relation.names.original);
      loaded.set(relationName, related);
      lines.push(`const ${related} = await repositories.${repositoryProperty(target)}.getById(${variable}.${relation.names.camel}Id);`);
    }
    for (const check of entity.checks) lines.push(...this.checkLines(entity, variable, check, loaded));
    return [
      `/** The rules a new ${entity.names.pascal} must meet with what it refers to, as the model's checks declare them. */`,
      `export async function ${checkHook(entity) as string}(${variable}: ${entity.names.pascal}, repositories: Repositories): Promise<void> {`,
      ...lines,
      '}',
    ].join('\n');
  }

  private checkLines(entity: Entity, variable: string, check: CrossCheck, loaded: ReadonlyMap<string, string>): string[] {
    const errorClass = ruleErrorClass(check.status);
    this.errors.add(errorClass);
    const condition = toTypeScript(check.expression, (name) => {
      if (!name.includes('.')) return `${variable}.${this.member(entity, name)}`;
      const resolved = resolvePath(name, entity, this.entities);
      if (typeof resolved === 'string') throw new Error(`check "${check.name}": ${resolved}`);
      const hop = resolved.hops[0] as NonNullable<(typeof resolved.hops)[number]>;
      const related = loaded.get(hop.relation.names.original) as string;
      return resolved.property === 'id' ? this.idOf(resolved.entity, related) : `${related}.${resolved.property}`;
    });
    return [`// ${commentText(`${check.name}: ${check.source}`)}`, `if (!${wrap(condition)}) {`, `throw new ${errorClass}(${stringLiteral(check.message)}, ${stringLiteral(check.code)});`, '}'];
  }
}

/** A compiled condition in parentheses once (they already carry them when binary). */
function wrap(condition: string): string {
  return condition.startsWith('(') && condition.endsWith(')') ? condition : `(${condition})`;
}

function article(name: string): string {
  return `${/^[AEIOU]/.test(name) ? 'an' : 'a'} ${name}`;
}

/** One line for a gateway call: `Payment.created where method == 'card': PaymentGateway.charge(...) -> succeeded: succeed, ...`. */
export function describeGatewayCall(call: GatewayCall): string {
  const where = call.where ? ` where ${call.where.source}` : '';
  const input = call.arguments.map((a) => (a.source === a.parameter ? a.parameter : `${a.parameter}: ${a.source}`)).join(', ');
  const outcomes = call.outcomes.map((o) => `${o.outcome}: ${o.transition}`).join(', ');
  return `${call.source}${where}: ${call.gateway}.${call.operation}(${input}) -> ${outcomes}`;
}

/** One line for a reaction: `items -> product.inventory.reserve(quantity)`. */
export function describeReaction(reaction: Reaction): string {
  const each = `${reaction.when ? `when ${reaction.when.source}: ` : ''}${reaction.forEach ? `each of ${reaction.forEach.relation}${reaction.forEach.where ? ` where ${reaction.forEach.where.source}` : ''}: ` : ''}`;
  const action = reaction.action;
  if (action.kind === 'create') return `${reaction.source}: ${each}create ${action.entity} (${action.values.map((v) => `${v.property} = ${v.source}`).join(', ')})`;
  const path = action.hops.map((h) => h.relation).join('.');
  return `${reaction.source}: ${each}${path ? `${path}.` : ''}${action.member}(${action.arguments.map((a) => a.source).join(', ')})`;
}
