import { redactKey } from './redact.ts';

// Text from outside (a symbol sent over HTTP, a strategy's message, a server's error) ends up on
// terminals. A control character in it could clear the screen, retitle the window, hide text or
// forge a log line, so every message the engine publishes and every line the CLI prints passes
// through here: controls become visible escapes.

/** C0 and C1 controls, DEL, and the line/paragraph separators and bidi overrides that reorder or break text. */
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/** `text` with each control character written out: a newline as \n, an escape as \u001b. */
export function escapeControls(text: string): string {
  return text.replace(CONTROL, (c) => (c === '\n' ? '\\n' : c === '\t' ? ' ' : `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`));
}

/** A URL as it may be shown: no password and no `apiKey` query value. */
export function shownUrl(text: string): string {
  // Only what must go is changed: the rest stays as typed.
  return redactKey(text, undefined).replace(/^([a-z][a-z0-9+.-]*:\/\/[^/:@\s]*:)[^@/\s]*@/i, '$1REDACTED@');
}
