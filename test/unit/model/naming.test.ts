import { describe, expect, it } from 'vitest';
import { camelCase, commentText, kebabCase, NameRegistry, pascalCase, stringLiteral } from '../../../src/model/naming.js';

describe('names from a spec become safe identifiers and file names', () => {
  it.each([
    ['repos/get', 'reposGet', 'ReposGet', 'repos-get'],
    ['post-closeAccount', 'postCloseAccount', 'PostCloseAccount', 'post-close-account'],
    ['HTTPServer_status', 'httpServerStatus', 'HttpServerStatus', 'http-server-status'],
    ['2fa', 'value2fa', 'Value2fa', 'value-2fa'],
    ['../../etc/passwd', 'etcPasswd', 'EtcPasswd', 'etc-passwd'],
    ['*/ alert(1) /*', 'alert1', 'Alert1', 'alert-1'],
    ['Ünïcödé', 'unicode', 'Unicode', 'unicode'],
  ])('%s -> %s / %s / %s', (raw, camel, pascal, kebab) => {
    expect(camelCase(raw)).toBe(camel);
    expect(pascalCase(raw)).toBe(pascal);
    expect(kebabCase(raw)).toBe(kebab);
  });

  it('falls back when nothing usable is left', () => {
    expect(camelCase('$$$', 'operation')).toBe('operation');
    expect(kebabCase('/', 'resource')).toBe('resource');
  });

  it('resolves collisions deterministically, case-insensitively', () => {
    const registry = new NameRegistry(['service']);
    expect(registry.claim('pet')).toBe('pet');
    expect(registry.claim('Pet')).toBe('Pet2');
    expect(registry.claim('service')).toBe('service2');
  });

  it('keeps descriptions inert inside comments and strings', () => {
    expect(commentText('a */ b\r\nc\u2028')).toBe('a *\\/ b\nc');
    expect(stringLiteral('`${x}` "q" \u2028')).toBe('"`${x}` \\"q\\" \\u2028"');
  });
});
