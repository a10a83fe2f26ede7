import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadSpec } from '../../../src/load/load-spec.js';
import { buildModel } from '../../../src/model/build-model.js';
import { inferDomainModel } from '../../../src/model/infer/infer-domain.js';

const REPO_ROOT = resolve(import.meta.dirname, '..', '..', '..');

/** A petstore-like spec: GET /pets/{petId} returns a Pet whose `id` has the given schema. */
async function petsWithId(idSchema: string, pathParameter = '{}') {
  const dir = await mkdtemp(join(tmpdir(), 'scaffold-identity-'));
  await writeFile(
    join(dir, 'openapi.yaml'),
    `
openapi: 3.1.0
info: { title: t, version: '1' }
paths:
  /pets/{petId}:
    get:
      operationId: getPetById
      parameters: [{ name: petId, in: path, required: true, schema: ${pathParameter} }]
      responses:
        '200': { description: ok, content: { application/json: { schema: { $ref: '#/components/schemas/Pet' } } } }
components:
  schemas:
    Pet:
      type: object
      required: [id, name]
      properties:
        id: ${idSchema}
        name: { type: string }
`,
  );
  return buildModel(await loadSpec(join(dir, 'openapi.yaml'))).model;
}

const identities = (inferred: ReturnType<typeof inferDomainModel>) => inferred.domain?.entities.map((e) => `${e.names.original} (${e.identity})`) ?? [];

describe('the identity of inferred entities under the guidelines idType', () => {
  it('follows the guideline where the id may be either an integer or a string', async () => {
    const model = await petsWithId('{ type: [integer, string] }');
    expect(identities(inferDomainModel(model, 'serial'))).toEqual(['Pet (serial)']);
    expect(identities(inferDomainModel(model, 'uuid'))).toEqual(['Pet (uuid)']);
    expect(identities(inferDomainModel(model))).toEqual(['Pet (serial)']);
  });

  it('follows the guideline for an untyped id, which is skipped without one', async () => {
    const model = await petsWithId('{ description: the pet id }');
    expect(identities(inferDomainModel(model, 'serial'))).toEqual(['Pet (serial)']);
    expect(identities(inferDomainModel(model, 'uuid'))).toEqual(['Pet (uuid)']);
    expect(inferDomainModel(model).skipped).toEqual([{ schema: 'Pet', reason: 'it has no integer or uuid "id" property' }]);
  });

  it('gives a string id of no format a uuid, but not a serial, whose numbers the spec does not allow', async () => {
    const model = await petsWithId('{ type: string }', '{ type: string }');
    expect(identities(inferDomainModel(model, 'uuid'))).toEqual(['Pet (uuid)']);
    const serial = inferDomainModel(model, 'serial');
    expect(serial.domain).toBeUndefined();
    expect(serial.skipped).toEqual([{ schema: 'Pet', reason: 'it has no integer or uuid "id" property, nor one a serial id fits' }]);
  });

  it('leaves what the spec decides to the spec: the petstore integer ids stay serial under idType uuid', async () => {
    const { model } = buildModel(await loadSpec(`${REPO_ROOT}/examples/petstore/openapi.yaml`));
    expect(identities(inferDomainModel(model, 'uuid'))).toEqual(['Pet (serial)', 'Order (serial)', 'User (serial)']);
    expect(identities(inferDomainModel(await petsWithId('{ type: string, format: uuid }'), 'serial'))).toEqual(['Pet (uuid)']);
  });
});
