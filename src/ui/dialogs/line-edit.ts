// One line of text with a cursor, edited as a shell's line editor edits it: the dialogs' text fields
// (the ticket's qty and prices, a strategy's params, a symbol) share it. Pure: keys map to actions,
// actions to the next line.
import type { Key } from 'ink';
import { printable } from '../format.ts';

export interface Line {
  readonly text: string;
  /** Where typing goes: 0 before the first character, text.length after the last. */
  readonly cursor: number;
}

export type LineAction =
  | { type: 'insert'; text: string }
  | { type: 'backspace' }
  | { type: 'deleteForward' }
  | { type: 'left' }
  | { type: 'right' }
  | { type: 'home' }
  | { type: 'end' }
  | { type: 'wordLeft' }
  | { type: 'wordRight' }
  /** Ctrl-W, Alt-Backspace: the word before the cursor. */
  | { type: 'deleteWord' }
  /** Ctrl-U and Ctrl-K: everything before, or after, the cursor. */
  | { type: 'killToStart' }
  | { type: 'killToEnd' };

export const lineAt = (text: string): Line => ({ text, cursor: text.length });


/**
 * Ink key → line action, or undefined for a key a line does not take (Enter, Esc, Tab, arrows up
 * and down are the dialog's). Readline's keys: Ctrl-A/E home and end, Ctrl-B/F and Alt-B/F by
 * character and word, Ctrl-W and Alt-Backspace a word back, Ctrl-U/K to either end, Ctrl-D forward.
 */
export function lineActionFor(input: string, key: Key): LineAction | undefined {
  if (key.leftArrow) return { type: key.ctrl || key.meta ? 'wordLeft' : 'left' };
  if (key.rightArrow) return { type: key.ctrl || key.meta ? 'wordRight' : 'right' };
  if (key.home) return { type: 'home' };
  if (key.end) return { type: 'end' };
  // Most terminals send DEL (0x7f) for Backspace, which Ink 6 reports as `delete`.
  if (key.backspace || key.delete) return { type: key.meta ? 'deleteWord' : 'backspace' };
  if (key.ctrl) {
    const byLetter: Record<string, LineAction['type']> = { a: 'home', e: 'end', b: 'left', f: 'right', w: 'deleteWord', u: 'killToStart', k: 'killToEnd', d: 'deleteForward' };
    const type = byLetter[input.toLowerCase()];
    return type ? ({ type } as LineAction) : undefined;
  }
  if (key.meta) {
    if (input === 'b') return { type: 'wordLeft' };
    if (input === 'f') return { type: 'wordRight' };
    return undefined;
  }
  if (key.tab || key.return || key.escape || key.upArrow || key.downArrow) return undefined;
  return input === '' ? undefined : { type: 'insert', text: input };
}

/** Where the word before `cursor` starts (spaces, then the word's characters, as readline's Ctrl-W). */
function wordStart(text: string, cursor: number): number {
  let at = cursor;
  while (at > 0 && /\s/.test(text[at - 1]!)) at--;
  while (at > 0 && !/\s/.test(text[at - 1]!)) at--;
  return at;
}

function wordEnd(text: string, cursor: number): number {
  let at = cursor;
  while (at < text.length && /\s/.test(text[at]!)) at++;
  while (at < text.length && !/\s/.test(text[at]!)) at++;
  return at;
}

/** The line after `action`; at most `maxLength` characters (a paste beyond it is cut). */
export function editLine(line: Line, action: LineAction, maxLength: number): Line {
  const { text } = line;
  const cursor = Math.max(0, Math.min(line.cursor, text.length));
  const cut = (from: number, to: number): Line => ({ text: text.slice(0, from) + text.slice(to), cursor: from });
  switch (action.type) {
    case 'insert': {
      // Typed or pasted, only what prints: a pasted line's \r\n or an escape never lands in a field.
      const added = printable(action.text).slice(0, Math.max(0, maxLength - text.length));
      return added === '' ? line : { text: text.slice(0, cursor) + added + text.slice(cursor), cursor: cursor + added.length };
    }
    case 'backspace':
      return cursor === 0 ? line : cut(cursor - 1, cursor);
    case 'deleteForward':
      return cursor === text.length ? line : cut(cursor, cursor + 1);
    case 'left':
      return { text, cursor: Math.max(0, cursor - 1) };
    case 'right':
      return { text, cursor: Math.min(text.length, cursor + 1) };
    case 'home':
      return { text, cursor: 0 };
    case 'end':
      return { text, cursor: text.length };
    case 'wordLeft':
      return { text, cursor: wordStart(text, cursor) };
    case 'wordRight':
      return { text, cursor: wordEnd(text, cursor) };
    case 'deleteWord':
      return cut(wordStart(text, cursor), cursor);
    case 'killToStart':
      return cut(0, cursor);
    case 'killToEnd':
      return cut(cursor, text.length);
  }
}

/** The line as drawn: before the cursor, the cell under it (a space at the end), after it. */
export function lineParts(line: Line): { before: string; at: string; after: string } {
  const cursor = Math.max(0, Math.min(line.cursor, line.text.length));
  return { before: line.text.slice(0, cursor), at: line.text[cursor] ?? ' ', after: line.text.slice(cursor + 1) };
}

/** lineParts of the `room` cells around the cursor, the cut ends marked with …. */
export function visibleParts(line: Line, room: number): { before: string; at: string; after: string } {
  const { before, at, after } = lineParts(line);
  const space = Math.max(1, room) - 1;
  // The cursor as far right as it needs to be, and no further: the text before it first.
  const left = before.length > space ? `…${before.slice(-(space - 1))}` : before;
  const rest = Math.max(0, space - left.length);
  const right = after.length > rest ? `${after.slice(0, Math.max(0, rest - 1))}…` : after;
  return { before: left, at, after: right };
}
