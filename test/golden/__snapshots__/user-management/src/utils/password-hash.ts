import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { UnprocessableEntityError } from '../errors/index.js';

/**
 * Password hashes with scrypt (node:crypto): a random salt per password, and the parameters stored in
 * the hash itself (`scrypt$N$r$p$salt$hash`, base64url), so they can be raised later without losing the
 * passwords hashed before. The password itself is never stored.
 */
const COST = { N: 16384, r: 8, p: 1 } as const;
const KEY_LENGTH = 64;
const SALT_BYTES = 16;

function derive(password: string, salt: Buffer, options: ScryptOptions, length: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFKC'), salt, length, { ...options, maxmem: 64 * 1024 * 1024 }, (error, key) =>
      error ? reject(error) : resolve(key),
    );
  });
}

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(SALT_BYTES);
  const key = await derive(password, salt, COST, KEY_LENGTH);
  return ['scrypt', COST.N, COST.r, COST.p, salt.toString('base64url'), key.toString('base64url')].join('$');
}

/** Whether the password matches the hash, compared in constant time; a malformed hash matches nothing. */
export async function verifyPassword(password: string, hash: string): Promise<boolean> {
  const [scheme, n, r, p, salt, key] = hash.split('$');
  if (scheme !== 'scrypt' || !n || !r || !p || !salt || !key) return false;
  const expected = Buffer.from(key, 'base64url');
  const cost = { N: Number(n), r: Number(r), p: Number(p) };
  if (!Object.values(cost).every(Number.isSafeInteger) || expected.length === 0) return false;
  const actual = await derive(password, Buffer.from(salt, 'base64url'), cost, expected.length);
  return timingSafeEqual(actual, expected);
}

/** A hash of no password anyone has: checked when no account matches, so an unknown name costs the same time. */
export const UNUSABLE_HASH = await hashPassword(randomBytes(32).toString('base64url'));

/** A new password that breaks the password policy (the domain model's signIn.passwordPolicy). */
export class PasswordPolicyError extends UnprocessableEntityError {
  override readonly code = 'PASSWORD_POLICY_VIOLATION';
}

/** Each rule of the password policy the password breaks, in words. */
export function passwordPolicyIssues(password: string): string[] {
  return [
    ...([...password].length < 12 ? ['be at least 12 characters long'] : []),
    ...(/\p{Lu}/u.test(password) ? [] : ['contain an uppercase letter']),
    ...(/\p{Ll}/u.test(password) ? [] : ['contain a lowercase letter']),
    ...(/\p{Nd}/u.test(password) ? [] : ['contain a digit']),
  ];
}

/** The hash of a new password, once it satisfies the password policy (else a PasswordPolicyError). */
export async function hashNewPassword(password: string): Promise<string> {
  const issues = passwordPolicyIssues(password);
  if (issues.length > 0) throw new PasswordPolicyError(`The password must ${issues.join(', ')}`);
  return hashPassword(password);
}
