import { describe, expect, it } from 'vitest';
import { ScaffoldError } from '../../../src/diagnostics/diagnostic.js';
import { parseFields } from '../../../src/add/fields.js';

function refusal(text: string): string {
  try {
    parseFields(text);
  } catch (error) {
    if (error instanceof ScaffoldError) return error.message;
    throw error;
  }
  throw new Error('expected the fields to be refused');
}

describe('scaffold add --fields', () => {
  it('names the nearest field type for a misspelled one, as the domain model does', () => {
    expect(refusal('ref:uid')).toBe('error SCF080: field "ref" has unknown type "uid"; did you mean "uuid"?\n  hint: types: string, text, integer, number, boolean, date, datetime, uuid');
    expect(refusal('title:strng')).toContain('did you mean "string"?');
    expect(refusal('blob:hologram')).not.toContain('did you mean');
  });
});
