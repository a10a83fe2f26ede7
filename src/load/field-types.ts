import { error, type Diagnostic, type SourceLocation } from '../diagnostics/diagnostic.js';
import { didYouMean } from '../diagnostics/did-you-mean.js';

/** The types a field may have besides a value object of the model. */
export const SCALAR_TYPES = ['string', 'text', 'integer', 'bigint', 'decimal', 'number', 'boolean', 'date', 'datetime', 'uuid', 'json', 'enum'] as const;

/**
 * A field whose type is neither a scalar nor a value object of the model: SCF031 with the nearest
 * known type, whether the schema caught it (`uid`: no scalar's spelling) or the model check (`Uid`).
 */
export function unknownFieldType(field: string, type: string, valueObjects: readonly string[], location: SourceLocation): Diagnostic {
  const known = [...SCALAR_TYPES, ...valueObjects];
  const suggestion = didYouMean(type, known);
  const listed = `a field type is one of ${SCALAR_TYPES.join(', ')}, or a value object${valueObjects.length > 0 ? `: ${valueObjects.join(', ')}` : ' of the model (none is declared)'}`;
  return error('SCF031', `field "${field}" has unknown type "${type}" (neither a scalar type nor a value object)${suggestion}`, location, suggestion ? undefined : listed);
}
