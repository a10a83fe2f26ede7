import { expect } from 'vitest';
import { ValidationError } from '../../src/errors/index.js';

/** Asserts that `action` is refused with a ValidationError that names the broken rule or field. */
export function expectRuleBroken(action: () => unknown, location: string): void {
  let caught: unknown;
  try {
    action();
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(ValidationError);
  expect((caught as ValidationError).details).toEqual(expect.arrayContaining([expect.objectContaining({ location })]));
}
