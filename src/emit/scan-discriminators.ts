import type { DiscriminatorObject, OpenAPI3, OpenAPITSOptions, ReferenceObject, SchemaObject, scanDiscriminators } from 'openapi-typescript';
import { packageVersion } from '../cache/package-version.js';
import { openApiTypescript } from './openapi-typescript-lib.js';

/**
 * openapi-typescript's `scanDiscriminators`, minus its cost on a big spec: the library's walk copies the
 * path array at every node of the document, twice, which for GitHub's spec is most of the time a
 * one-operation change spends before reusing the pieces. This is the library's code (version
 * VERIFIED_VERSION, MIT licence) with a walk that keeps one path array and copies nothing; the callbacks
 * are unchanged, so it finds, patches and returns the same. Tests compare it with the library on real
 * specs. Another installed version of the library gets its own function, until this copy is checked
 * against it. Runs after loadOpenApiTypescript().
 */
export function scanDiscriminatorsOnce(schema: OpenAPI3, options: OpenAPITSOptions): ReturnType<typeof scanDiscriminators> {
  return INSTALLED_VERSION === VERIFIED_VERSION ? scan(schema, options) : openApiTypescript().scanDiscriminators(schema, options);
}

export const VERIFIED_VERSION = '7.13.0';
const INSTALLED_VERSION = packageVersion('openapi-typescript');

type Path = (string | number)[];
// The library walks untyped JSON; `any` keeps its code as written.
type Node = Record<string, any>;

function scan(schema: OpenAPI3, options: OpenAPITSOptions): ReturnType<typeof scanDiscriminators> {
  const objects: Record<string, DiscriminatorObject> = {};
  const refsHandled: string[] = [];
  walk(schema, (obj, path) => {
    const discriminator = obj?.discriminator as DiscriminatorObject | undefined;
    if (!discriminator?.propertyName) {
      return;
    }
    const ref = openApiTypescript().createRef(path);
    objects[ref] = discriminator;
    if (!obj?.oneOf || !Array.isArray(obj.oneOf)) {
      return;
    }
    const oneOf = obj.oneOf as (SchemaObject | ReferenceObject)[];
    const mapping: Record<string, { inferred?: string; defined?: string[] }> = {};
    for (const item of oneOf) {
      if ('$ref' in item) {
        const value = item.$ref.split('/').pop();
        if (value) {
          if (!mapping[item.$ref]) {
            mapping[item.$ref] = { inferred: value };
          } else {
            mapping[item.$ref]!.inferred = value;
          }
        }
      }
    }
    if (discriminator.mapping) {
      for (const mappedValue in discriminator.mapping) {
        const mappedRef = discriminator.mapping[mappedValue];
        if (!mappedRef) {
          continue;
        }
        if (!mapping[mappedRef]?.defined) {
          mapping[mappedRef] = { defined: [] };
        }
        mapping[mappedRef].defined?.push(mappedValue);
      }
    }
    for (const [mappedRef, { inferred, defined }] of Object.entries(mapping)) {
      if (refsHandled.includes(mappedRef)) {
        continue;
      }
      if (!inferred && !defined) {
        continue;
      }
      const mappedValues = defined ?? [inferred!];
      if (patchDiscriminatorEnum(schema, mappedRef, mappedValues, discriminator, ref, options)) {
        refsHandled.push(mappedRef);
      }
    }
  });
  walk(schema, (obj, path) => {
    if (!obj || !Array.isArray(obj.allOf)) {
      return;
    }
    for (const item of obj.allOf as Node[]) {
      if ('$ref' in item) {
        if (!objects[item.$ref]) {
          return;
        }
        const ref = openApiTypescript().createRef(path);
        const discriminator = objects[item.$ref]!;
        const mappedValues: string[] = [];
        if (discriminator.mapping) {
          for (const mappedValue in discriminator.mapping) {
            if (discriminator.mapping[mappedValue] === ref) {
              mappedValues.push(mappedValue);
            }
          }
          if (mappedValues.length > 0) {
            if (patchDiscriminatorEnum(schema, ref, mappedValues, discriminator, item.$ref, options)) {
              refsHandled.push(ref);
            }
          }
        }
        objects[ref] = {
          ...objects[item.$ref]!,
        };
      } else if (item.discriminator?.propertyName) {
        objects[openApiTypescript().createRef(path)] = { ...item.discriminator };
      }
    }
  });
  return { objects, refsHandled };
}

/** The library's walk (pre-order, arrays by index, objects by `Object.keys`), on one shared path array. */
function walk(obj: unknown, cb: (obj: Node, path: Path) => void, path: Path = []): void {
  if (!obj || typeof obj !== 'object') {
    return;
  }
  if (Array.isArray(obj)) {
    for (let i = 0; i < obj.length; i++) {
      path.push(i);
      walk(obj[i], cb, path);
      path.pop();
    }
    return;
  }
  cb(obj as Node, path);
  for (const k of Object.keys(obj)) {
    path.push(k);
    walk((obj as Node)[k], cb, path);
    path.pop();
  }
}

function createDiscriminatorEnum(values: string[], prevSchema?: SchemaObject): SchemaObject {
  return {
    type: 'string',
    enum: values,
    description: prevSchema?.description ? `${prevSchema.description} (enum property replaced by openapi-typescript)` : 'discriminator enum property added by openapi-typescript',
  };
}

function patchDiscriminatorEnum(schema: OpenAPI3, ref: string, values: string[], discriminator: DiscriminatorObject, discriminatorRef: string, options: OpenAPITSOptions): boolean {
  const resolvedSchema = openApiTypescript().resolveRef<Node>(schema, ref, {
    silent: options.silent ?? false,
  });
  if (resolvedSchema?.allOf) {
    resolvedSchema.allOf.push({
      type: 'object',
      // discriminator enum properties always need to be required
      required: [discriminator.propertyName],
      properties: {
        [discriminator.propertyName]: createDiscriminatorEnum(values),
      },
    });
    return true;
  } else if (typeof resolvedSchema === 'object' && 'type' in resolvedSchema && resolvedSchema.type === 'object') {
    if (!resolvedSchema.properties) {
      resolvedSchema.properties = {};
    }
    if (!resolvedSchema.required) {
      resolvedSchema.required = [discriminator.propertyName];
    } else if (!resolvedSchema.required.includes(discriminator.propertyName)) {
      resolvedSchema.required.push(discriminator.propertyName);
    }
    resolvedSchema.properties[discriminator.propertyName] = createDiscriminatorEnum(values, resolvedSchema.properties[discriminator.propertyName]);
    return true;
  }
  openApiTypescript().warn(`Discriminator mapping has an invalid schema (neither an object schema nor an allOf array): ${ref} => ${values.join(', ')} (Discriminator: ${discriminatorRef})`, options.silent);
  return false;
}
