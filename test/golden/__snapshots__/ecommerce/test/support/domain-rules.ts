import { expect } from 'vitest';
import { AppError, ValidationError } from '../../src/errors/index.js';

/**
 * Asserts that `action` is refused: with a ValidationError that names the broken rule or field, or, for
 * a rule the design gives an error code, with an error of that code.
 */
export function expectRuleBroken(action: () => unknown, rule: string | { code: string }): void {
  let caught: unknown;
  try {
    action();
  } catch (error) {
    caught = error;
  }
  if (typeof rule !== 'string') {
    expect(caught).toBeInstanceOf(AppError);
    expect((caught as AppError).code).toBe(rule.code);
    return;
  }
  expect(caught).toBeInstanceOf(ValidationError);
  expect((caught as ValidationError).details).toEqual(
    expect.arrayContaining([expect.objectContaining({ location: rule })]),
  );
}
