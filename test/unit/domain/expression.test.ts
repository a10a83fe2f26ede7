import { describe, expect, it } from 'vitest';
import { fieldsOf, parseExpression, toTypeScript } from '../../../src/model/domain/expression.js';

const ts = (source: string) => toTypeScript(parseExpression(source), (field) => `this.${field}`);

describe('invariant expressions', () => {
  it.each([
    ['reserved <= onHand', '(this.reserved <= this.onHand)'],
    ['a + b * 2 > 10', '((this.a + (this.b * 2)) > 10)'],
    ["endsAt == null or endsAt > startsAt and not cancelled", '((this.endsAt === null) || ((this.endsAt > this.startsAt) && !(this.cancelled)))'],
    ["length(name) >= 2 and code != 'x'", '(((this.name).length >= 2) && (this.code !== "x"))'],
  ])('%s', (source, expected) => {
    expect(ts(source)).toBe(expected);
  });

  it('lists the fields it reads', () => {
    expect([...fieldsOf(parseExpression('a < b or length(c) > 0'))]).toEqual(['a', 'b', 'c']);
  });

  it.each([
    ['a >', /ends too early/],
    ['a ; b', /unexpected character ";"/],
    ['process.exit(1)', /unknown function process.exit\(\)/],
    ['eval(x)', /unknown function eval/],
    ['(a > b', /expected "\)"/],
  ])('rejects %j', (source, message) => {
    expect(() => parseExpression(source)).toThrow(message);
  });

  it('keeps string literals inert', () => {
    expect(ts("name != '\\'); process.exit(1); //'")).toBe(`(this.name !== ${JSON.stringify("'); process.exit(1); //")})`);
  });
});
