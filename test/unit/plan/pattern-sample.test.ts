import { describe, expect, it } from 'vitest';
import { patternSamples } from '../../../src/plan/pattern-sample.js';

describe('strings made to match a pattern', () => {
  it.each([
    ['^[A-Z]{3}$', 'AAA'],
    ['^\\+[1-9][0-9]{1,14}$', '+10'],
    ['^[0-9]{3}-[0-9]{10}$', '000-0000000000'],
    ['^[A-Z0-9]+(?:-[A-Z0-9]+)*$', 'A'],
    ['^(foo|bar)-\\w+$', 'foo-a'],
    ['^\\d{4}-\\d{2}-\\d{2}$', '0000-00-00'],
  ])('%s gives %s first, and only strings that match it', (pattern, first) => {
    const samples = patternSamples(pattern);
    expect(samples[0]).toBe(first);
    for (const sample of samples) expect(sample).toMatch(new RegExp(pattern, 'u'));
  });

  it('offers longer strings too, for length constraints the pattern does not state', () => {
    expect(patternSamples('^[A-Z0-9]+$')).toEqual(['A', 'AAA', 'AAAAAAAA']);
  });

  it.each(['^(?=x)a$', '^[^a]+$', '^(a)\\1$', '^\\p{L}+$', '[z-a]'])('gives nothing for what it does not read (%s)', (pattern) => {
    expect(patternSamples(pattern)).toEqual([]);
  });
});
