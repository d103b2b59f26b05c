// Secrets (the Polygon key, API tokens) never appear in logs, errors or the screen.

/**
 * Replaces the key and any `apiKey=` query value in text with REDACTED. The key is matched in any
 * case: text from outside may carry it changed (a symbol sent as the key is upper-cased).
 */
export function redactKey(text: string, key: string | undefined): string {
  const out = text.replace(/(apiKey=)[^&\s"'#]*/gi, '$1REDACTED');
  return key ? out.replace(new RegExp(key.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'gi'), 'REDACTED') : out;
}
