import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import type { LoadedDomainModel } from '../../load/load-domain-model.js';
import { superLinearPatternWarning } from '../json-schema.js';
import { isSuperLinearPattern } from '../pattern.js';

/** SCF017 for the domain model's field patterns, which the entities test on every change. */
export function reportSuperLinearDomainPatterns({ document, locate }: LoadedDomainModel): Diagnostic[] {
  const owners = [
    ...Object.entries(document.entities).map(([name, entity]) => [['entities', name], entity.fields] as const),
    ...Object.entries(document.valueObjects ?? {}).map(([name, valueObject]) => [['valueObjects', name], valueObject.fields] as const),
  ];
  return owners.flatMap(([owner, fields]) =>
    Object.entries(fields ?? {}).flatMap(([field, { pattern }]) =>
      pattern !== undefined && isSuperLinearPattern(pattern) ? [superLinearPatternWarning(pattern, locate([...owner, 'fields', field, 'pattern']))] : [],
    ),
  );
}
