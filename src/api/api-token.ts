// Bearer-token auth: tokens are random, compared in constant time, and never echoed anywhere.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

export const MIN_TOKEN_LENGTH = 16;

/** A fresh token for the API: 32 random bytes, base64url (43 characters). */
export function generateApiToken(): string {
  return randomBytes(32).toString('base64url');
}

/** Throws one clear line when a token is too weak to guard an API that trades. */
export function assertUsableToken(token: unknown): asserts token is string {
  if (typeof token !== 'string' || token.trim().length < MIN_TOKEN_LENGTH || /\s/.test(token)) {
    throw new Error(`the API token must be at least ${MIN_TOKEN_LENGTH} characters without spaces: use generateApiToken()`);
  }
}

// Hashing first makes both sides the same length, so timingSafeEqual never leaks the token's length.
const digest = (text: string): Buffer => createHash('sha256').update(text, 'utf8').digest();

/** Whether a secret given equals the one expected, in time that says nothing of either. */
export const sameSecret = (given: string, expected: string): boolean => timingSafeEqual(digest(given), digest(expected));

/** Whether an Authorization header carries exactly `Bearer <token>`. */
export function bearerMatches(header: string | undefined, token: string): boolean {
  const match = /^Bearer[ ]+(\S+)[ ]*$/i.exec(header ?? '');
  const given = match?.[1] ?? '';
  // Compare even when the header is malformed, so the time taken says nothing about why it failed.
  const equal = timingSafeEqual(digest(given), digest(token));
  return match !== null && equal;
}
