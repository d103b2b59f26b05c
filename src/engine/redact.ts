// Secrets (the Polygon key, API tokens) never appear in logs, errors or the screen.

/** Replaces the key and any `apiKey=` query value in text with REDACTED. */
export function redactKey(text: string, key: string | undefined): string {
  let out = text.replace(/(apiKey=)[^&\s"'#]*/gi, '$1REDACTED');
  if (key) out = out.split(key).join('REDACTED');
  return out;
}
