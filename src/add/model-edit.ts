import { fail } from '../diagnostics/diagnostic.js';
import type { FieldSpec } from './fields.js';
import { YamlSource } from './yaml-splice.js';

/**
 * Adds an entity (and, when the model maps resources to entities, the resource's mapping) to the
 * domain model file; everything else in the file stays byte for byte.
 */
export function addEntityToModel(text: string, entity: string, fields: readonly FieldSpec[], resource?: string, file?: string): string {
  const source = new YamlSource(text);
  const entities = source.get(['entities']) as Record<string, unknown> | undefined;
  if (entities && Object.keys(entities).some((name) => name.toLowerCase() === entity.toLowerCase())) {
    fail('SCF080', `the domain model already has an entity ${entity}`, { file, pointer: `/entities/${entity}` }, 'choose another name, or edit the entity in the model file');
  }
  const fieldEntries = Object.fromEntries(fields.map((field) => [field.name, { type: field.type, ...(field.required ? {} : { required: false }) }]));
  // Written the way the file writes its fields: `rating: { type: integer }` when its entities do.
  const flow = Object.keys(entities ?? {}).some((name) => source.usesFlowValues(['entities', name, 'fields']));
  source.appendToMap(['entities'], { [entity]: { fields: fieldEntries } }, flow ? 3 : undefined);
  const mapping = source.get(['mapping']) as Record<string, unknown> | undefined;
  if (resource !== undefined && mapping !== undefined && mapping[resource] === undefined) source.appendToMap(['mapping'], { [resource]: entity });
  return source.toString();
}
