import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildProject, generateExample } from '../support/generated-project.js';
import { startServer, type RunningServer } from '../support/run.js';

/** The petstore offers pets as JSON and XML: JSON unless the client asks for XML, both shaped by the spec. */
let server: RunningServer | undefined;

const PET_SERVICE = `import type { RequestContext } from '../dto/operation-types.js';
import type * as PetDto from '../dto/pet.dto.gen.js';
import { PetServiceBase } from './pet.service.gen.js';

export class PetService extends PetServiceBase {
  override async getPetById(input: PetDto.GetPetByIdInput, _context: RequestContext): Promise<PetDto.GetPetByIdResult> {
    const pet = { id: input.params.petId, name: 'Rex <&>', photoUrls: ['a.png', 'b.png'], status: 'available' as const };
    return Object.assign(pet, { ownerSecret: 'not in the spec' });
  }
}
`;

beforeAll(async () => {
  const project = await generateExample('petstore', 'e2e-xml');
  await writeFile(join(project, 'src', 'services', 'pet.service.ts'), PET_SERVICE);
  await buildProject(project);
  server = await startServer(process.execPath, ['dist/server.js'], { cwd: project, env: { LOG_LEVEL: 'warn', API_KEYS: 'key-1' }, readyPath: '/health/live' });
});

afterAll(async () => {
  await server?.stop();
});

it('answers JSON by default and XML when asked, with the same declared fields', async () => {
  const json = await fetch(`${server?.baseUrl}/v2/pet/7`, { headers: { api_key: 'key-1' } });
  expect(json.headers.get('content-type')).toContain('application/json');
  expect(await json.json()).toEqual({ id: 7, name: 'Rex <&>', photoUrls: ['a.png', 'b.png'], status: 'available' });

  const xml = await fetch(`${server?.baseUrl}/v2/pet/7`, { headers: { api_key: 'key-1', accept: 'application/xml' } });
  expect(xml.headers.get('content-type')).toContain('application/xml');
  const text = await xml.text();
  expect(text).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?><Pet>/);
  expect(text).toContain('<name>Rex &lt;&amp;&gt;</name><photoUrls>a.png</photoUrls><photoUrls>b.png</photoUrls>');
  expect(text).not.toContain('ownerSecret');
});
