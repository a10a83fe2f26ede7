import { alternativesOf, ownerProperty } from '../../model/domain/policies.js';
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
  for (const alternative of alternativesOf(rule.expression)) {
    const property = ownerProperty(alternative, entity, entities);
    if (property !== undefined) owner ??= property;
    else if (!(alternative.kind === 'call' && alternative.callee === 'hasRole')) strangerRefused = false;
  }
  return { owner, strangerRefused };
}
