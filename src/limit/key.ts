import { createHash } from 'node:crypto';

/**
 * A store key for an account: the first 24 hex characters of SHA-256 over `id` (an account id or API key id).
 * Store keys end up in Redis key names, so pass this, never a secret.
 */
export function hashKey(id: string): string {
  return createHash('sha256').update(`corral-limiter:${id}`).digest('hex').slice(0, 24);
}
