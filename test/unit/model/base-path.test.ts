import { describe, expect, it } from 'vitest';
import type { OpenApiDocument } from '../../../src/load/openapi-types.js';
import { basePathOf } from '../../../src/model/base-path.js';

const document = (servers?: { url: string }[]): OpenApiDocument => ({ openapi: '3.1.0', info: { title: 't', version: '1' }, paths: {}, ...(servers && { servers }) }) as OpenApiDocument;

describe('the route prefix', () => {
  it('is the house default /api/v1 when the spec names no server, or the guidelines apiPrefix', () => {
    expect(basePathOf(document())).toBe('/api/v1');
    expect(basePathOf(document(), '/api/v2')).toBe('/api/v2');
    expect(basePathOf(document(), '')).toBe('');
  });

  it('is the server URL path when the spec names one: the spec wins over the guidelines', () => {
    expect(basePathOf(document([{ url: 'https://example.com/v3' }]), '/api/v2')).toBe('/v3');
  });
});
