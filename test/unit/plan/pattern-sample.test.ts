import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { patternSamples, spelledPatternText, spellNumber, spellText } from '../../../src/plan/pattern-sample.js';

/** Patterns as real specs write them: anchors, classes, ranges, quantifiers, groups, alternatives, escapes, the dot. */
const PATTERNS = [
  '^[A-Z]{2,6}$',
  '^[A-Z]{3}$',
  '^\\+[1-9][0-9]{1,14}$',
  '^[0-9]{3}-[0-9]{10}$',
  '^[A-Z0-9]+(?:-[A-Z0-9]+)*$',
  '^(foo|bar)-\\w+$',
  '^\\d{4}-\\d{2}-\\d{2}$',
  '^[A-Z0-9][A-Z0-9-]{2,31}$',
  '^[a-z0-9]+(?:-[a-z0-9]+)*$',
  '^[a-zA-Z_][a-zA-Z0-9_]*$',
  '^\\S+@\\S+\\.\\S+$',
  '^[^@\\s]+@[^@\\s]+$',
  '^#?([a-fA-F0-9]{6}|[a-fA-F0-9]{3})$',
  '^v\\d+(\\.\\d+){0,2}$',
  '^(?!.*--)[a-z-]+$',
  '^\\p{Lu}\\p{Ll}+$',
  '^.{3,}$',
  '^[\\w.-]+\\s?[\\w.-]*$',
  '^(https?)://[a-z.]+(:\\d{2,5})?/?$',
  '^[A-Z]{2}\\d{2}[A-Z0-9]{4,30}$',
  'abc',
  '\\d+',
  '^ab*c?d{2,}$',
  '^(?:[01]\\d|2[0-3]):[0-5]\\d$',
  '^[^,]*$',
];

describe('strings made to match a pattern', () => {
  it.each([
    ['^[A-Z]{3}$', 'AAA'],
    ['^\\+[1-9][0-9]{1,14}$', '+10'],
    ['^[0-9]{3}-[0-9]{10}$', '000-0000000000'],
    ['^[A-Z0-9]+(?:-[A-Z0-9]+)*$', 'A'],
    ['^(foo|bar)-\\w+$', 'foo-a'],
    ['^\\d{4}-\\d{2}-\\d{2}$', '0000-00-00'],
    ['^[A-Z]{2,6}$', 'AA'],
    ['^[^a]+$', 'b'],
    ['^\\p{L}+$', 'a'],
  ])('%s gives %s first', (pattern, first) => {
    expect(patternSamples(pattern)[0]).toBe(first);
  });

  it('offers longer strings too, for length constraints the pattern does not state', () => {
    expect(patternSamples('^[A-Z0-9]+$')).toEqual(['A', 'AAA', 'AAAAAAAA']);
  });

  it.each(PATTERNS)('%s: every sample matches, within any length bounds the pattern allows', (pattern) => {
    const regex = new RegExp(pattern, 'u');
    fc.assert(
      fc.property(fc.nat(12), fc.nat(40), (minLength, extra) => {
        const maxLength = minLength + extra;
        for (const sample of patternSamples(pattern, {
          minLength,
          maxLength,
        })) {
          expect(sample).toMatch(regex);
          expect([...sample].length).toBeGreaterThanOrEqual(minLength);
          expect([...sample].length).toBeLessThanOrEqual(maxLength);
        }
      }),
      { numRuns: 40 },
    );
    expect(patternSamples(pattern).length).toBeGreaterThan(0);
  });

  it.each(PATTERNS)('%s: a running number written into it gives distinct matching values', (pattern) => {
    const text = spelledPatternText(pattern, { maxLength: 40 });
    if (!text) return;
    const regex = new RegExp(pattern, 'u');
    fc.assert(
      fc.property(fc.integer({ min: 0, max: text.capacity - 2 }), (n) => {
        expect(spellText(text, n)).toMatch(regex);
        expect(spellText(text, n)).not.toBe(spellText(text, n + 1));
      }),
      { numRuns: 60 },
    );
  });

  it('writes the number of a unique key whose pattern takes only capitals in capitals (issue 15)', () => {
    const text = spelledPatternText('^[A-Z]{2,6}$')!;
    expect(text).toMatchObject({
      before: '',
      digits: 'ABCDEFGHIJKLMNOPQRSTUVWXYZ',
      width: 4,
      after: '',
    });
    expect([1, 2, 98765].map((n) => spellText(text, n))).toEqual(['AAAB', 'AAAC', 'FQCR']);
  });

  it('gives no running text where the pattern has too few values', () => {
    expect(spelledPatternText('^[A-Z]{2}$')).toBeUndefined();
    expect(spelledPatternText('^(yes|no)$')).toBeUndefined();
  });

  it('spells decimal numbers as padded digits', () => {
    expect(spellNumber(42, '0123456789', 5)).toBe('00042');
  });

  it.each(['^(?=x)a$', '^(a)\\1$', '[z-a]', '^[]$', '^a{3}$'])('gives nothing it cannot make match (%s), within bounds', (pattern) => {
    expect(patternSamples(pattern, { maxLength: 2 })).toEqual([]);
  });
});
