import { fail } from '../diagnostics/diagnostic.js';
import { didYouMean } from '../diagnostics/did-you-mean.js';

/** The field types `scaffold add` accepts: the scalar types of the domain model (docs/domain-model.md). */
export const FIELD_TYPES = ['string', 'text', 'integer', 'number', 'boolean', 'date', 'datetime', 'uuid'] as const;
export type FieldType = (typeof FIELD_TYPES)[number];

export interface FieldSpec {
  name: string;
  type: FieldType;
  required: boolean;
}

/** `rating:integer,comment:text?`: name, type (string when left out), `?` when optional. */
export function parseFields(text: string): FieldSpec[] {
  const fields = text
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean)
    .map((part): FieldSpec => {
      const match = /^([A-Za-z][A-Za-z0-9]*)(?::([a-z]+))?(\?)?$/.exec(part);
      if (!match) fail('SCF080', `field "${part}" is not name:type (a ? after the type makes it optional)`, undefined, `for example --fields "rating:integer,comment:text?"; types: ${FIELD_TYPES.join(', ')}`);
      const type = (match[2] ?? 'string') as FieldType;
      if (!FIELD_TYPES.includes(type)) fail('SCF080', `field "${match[1]}" has unknown type "${type}"${didYouMean(type, FIELD_TYPES)}`, undefined, `types: ${FIELD_TYPES.join(', ')}`);
      return { name: match[1]!, type, required: match[3] === undefined };
    });
  if (fields.length === 0) fail('SCF080', 'a resource or entity needs at least one field', undefined, 'for example --fields "title:string,done:boolean"');
  const seen = new Set<string>();
  for (const field of fields) {
    if (seen.has(field.name) || ['id', 'createdAt', 'updatedAt'].includes(field.name)) fail('SCF080', `field "${field.name}" is given twice or is one scaffold adds itself (id, createdAt, updatedAt)`);
    seen.add(field.name);
  }
  return fields;
}

/** A field's JSON Schema in the spec. */
export function fieldSchema(type: FieldType): Record<string, unknown> {
  switch (type) {
    case 'text':
      return { type: 'string' };
    case 'datetime':
      return { type: 'string', format: 'date-time' };
    case 'date':
      return { type: 'string', format: 'date' };
    case 'uuid':
      return { type: 'string', format: 'uuid' };
    default:
      return { type };
  }
}
