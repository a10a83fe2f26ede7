import { describe, expect, it } from 'vitest';
import { markReferencedVisibility } from '../../../src/emit/openapi-types-input.js';
import { reportProtoNames } from '../../../src/model/proto-names.js';
import { jsonAsCode } from '../../../src/model/naming.js';

describe('the name __proto__', () => {
  it('is reported as a property or a parameter, located, and left alone as data', () => {
    const document = JSON.parse(`{
      "paths": { "/a/{__proto__}": { "get": { "parameters": [{ "name": "__proto__", "in": "path" }] } } },
      "components": { "schemas": {
        "__proto__": { "type": "object", "properties": { "__proto__": { "type": "string" } } },
        "Data": { "type": "object", "default": { "__proto__": 1 }, "example": { "properties": { "__proto__": 1 } }, "enum": [{ "__proto__": 2 }] }
      } }
    }`) as unknown;
    expect(reportProtoNames(document).map((d) => [d.code, d.location?.pointer])).toEqual([
      ['SCF016', '/paths/~1a~1{__proto__}/get/parameters/0/name'],
      ['SCF016', '/components/schemas/__proto__/properties/__proto__'],
    ]);
  });

  it('stays a key of the copy handed to openapi-typescript, so a schema so named keeps its type', () => {
    const document = JSON.parse('{ "components": { "schemas": { "__proto__": { "type": "object" }, "Wrapper": { "properties": { "inner": { "$ref": "#/components/schemas/__proto__" } } } } } }') as unknown;
    const marked = markReferencedVisibility(document) as { components: { schemas: Record<string, unknown> } };
    expect(Object.keys(marked.components.schemas)).toEqual(['__proto__', 'Wrapper']);
    expect(Object.getPrototypeOf(marked.components.schemas)).toBe(Object.prototype);
  });

  it('is written as a computed key when JSON becomes code, where it would otherwise set a prototype', () => {
    const value = JSON.parse('{ "a": { "__proto__": { "b": "\\",\\"__proto__\\":" } }, "__proto__": [1] }') as unknown;
    const code = jsonAsCode(value);
    expect(code).toBe('{"a":{["__proto__"]:{"b":"\\",\\"__proto__\\":"}},["__proto__"]:[1]}');
    expect(JSON.stringify(new Function(`return ${code}`)())).toBe(JSON.stringify(value));
  });
});
