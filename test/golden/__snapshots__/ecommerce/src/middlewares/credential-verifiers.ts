import { timingSafeEqual } from 'node:crypto';
import type { Config } from '../config/env.js';
import type { CredentialVerifiers } from './authenticate.js';

/**
 * The credential checks the spec leaves to you. JWT bearer tokens are verified for you (see jwt.ts);
 * here are API keys (by default: any key listed in API_KEYS), HTTP basic credentials and any scheme
 * scaffold has no built-in check for (both reject everything until you implement them).
 */
export function createCredentialVerifiers(config: Config): CredentialVerifiers {
  return {
    async apiKey(key) {
      const known = config.apiKeys.some((candidate) => safeEqual(candidate, key));
      // A listed key grants no roles: an operation that asks for roles (`apiKeyAuth: [admin]`) needs your own check here.
      return known ? { subject: 'api-key', scopes: [], roles: [] } : null;
    },
    async basic() {
      return null;
    },
    async custom() {
      return null;
    },
  };
}

function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}
