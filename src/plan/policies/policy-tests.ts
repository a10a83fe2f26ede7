import type { Expression } from '../../model/domain/expression.js';
import { resolvePath } from '../../model/domain/policies.js';
import type { Entity, PolicyRule } from '../../model/domain/types.js';

/**
 * What the generated API tests can try of a rule without guessing: the property that makes a caller
 * its owner (`customer == auth.sub` or ...: `customerId`), and whether a signed-in caller who owns
 * nothing and holds no role is refused (every alternative needs ownership or a role).
 */
export interface RuleProbe {
  owner: string | undefined;
  strangerRefused: boolean;
}

export function probeRule(rule: PolicyRule, entity: Entity, entities: ReadonlyMap<string, Entity>): RuleProbe {
  let owner: string | undefined;
  let strangerRefused = true;
  for (const alternative of alternatives(rule.expression)) {
    const property = ownershipOf(alternative, entity, entities);
    if (property !== undefined) owner ??= property;
    else if (!(alternative.kind === 'call' && alternative.callee === 'hasRole')) strangerRefused = false;
  }
  return { owner, strangerRefused };
}

function alternatives(e: Expression): Expression[] {
  return e.kind === 'binary' && e.operator === 'or' ? [...alternatives(e.left), ...alternatives(e.right)] : [e];
}

/** `field == auth.sub` (either way round) on the row itself: the field's property. */
function ownershipOf(e: Expression, entity: Entity, entities: ReadonlyMap<string, Entity>): string | undefined {
  if (e.kind !== 'binary' || e.operator !== '==') return undefined;
  const isSubject = (side: Expression) => side.kind === 'auth' && side.path.length === 1 && side.path[0] === 'sub';
  const field = isSubject(e.right) ? e.left : isSubject(e.left) ? e.right : undefined;
  if (field?.kind !== 'field' || field.name.includes('.')) return undefined;
  const resolved = resolvePath(field.name, entity, entities);
  return typeof resolved === 'string' ? undefined : resolved.property;
}
