// Ink turns each frame into text in its Output class: every line written is tokenized into styled
// characters by @alcalzone/ansi-tokenize, about 1 µs a character here, then joined back into text.
// Measured at 160x48 with 50 symbols streaming, that was 10 ms of the 35 ms of CPU a frame cost.
// terminal-cells.ts reads the same lines at 0.05 µs a character: here it lays the frame out in
// Ink's place, with Ink's clipping. Only text that is one cell a code point is laid out so (all of
// this UI's, and the tickers'); a frame with a wide or combining character is left to Ink.
// test/ui/ink-output.test.ts checks every frame of the app against Ink's own layout.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { cellsToLine, toCells, type Cell } from './terminal-cells.ts';

interface Clip {
  x1?: number;
  x2?: number;
  y1?: number;
  y2?: number;
}

type Operation =
  | { type: 'write'; x: number; y: number; text: string; transformers: ((line: string, index: number) => string)[] }
  | { type: 'clip'; clip: Clip }
  | { type: 'unclip' };

export interface InkOutput {
  width: number;
  height: number;
  operations: Operation[];
}

type Get = (this: InkOutput) => { output: string; height: number };

/** Wide (East Asian, emoji) and zero-width (combining, joiners) characters: not one cell a code point. */
const NOT_ONE_CELL = /[\u0300-\u036f\u1100-\u115f\u200b-\u200f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe00-\ufe0f\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6\u{1f000}-\u{1faff}\u{20000}-\u{3fffd}]/u;

const BLANK: Cell = { ch: ' ', style: '' };

/** The frame's lines, laid out as Ink's Output.get lays them; undefined when a text is not one cell a code point. */
export function layOut(output: InkOutput): { output: string; height: number } | undefined {
  const { width, height } = output;
  const rows: Cell[][] = Array.from({ length: height }, () => new Array<Cell>(width).fill(BLANK));
  const clips: Clip[] = [];
  for (const operation of output.operations) {
    if (operation.type === 'clip') clips.push(operation.clip);
    else if (operation.type === 'unclip') clips.pop();
    else {
      if (NOT_ONE_CELL.test(operation.text)) return undefined;
      write(rows, operation, clips.at(-1));
    }
  }
  // As Ink: cells never written past a row's end (a gap) are left out, not blanks.
  return { output: rows.map((row) => cellsToLine(row.filter((cell) => cell !== undefined))).join('\n'), height };
}

function write(rows: Cell[][], operation: Extract<Operation, { type: 'write' }>, clip: Clip | undefined): void {
  let { x, y } = operation;
  let lines = operation.text.split('\n');
  const clipX = clip !== undefined && typeof clip.x1 === 'number' && typeof clip.x2 === 'number';
  const clipY = clip !== undefined && typeof clip.y1 === 'number' && typeof clip.y2 === 'number';
  if (clipY) {
    const { y1, y2 } = clip as Required<Clip>;
    if (y + lines.length < y1 || y > y2) return;
    lines = lines.slice(y < y1 ? y1 - y : 0, y + lines.length > y2 ? y2 - y : lines.length);
    if (y < y1) y = y1;
  }
  // As Ink: a line whose row is missing takes no row, and the next line is tried at the same one.
  let offsetY = 0;
  lines.forEach((text, index) => {
    const row = rows[y + offsetY];
    if (!row) return;
    offsetY++;
    let line = text;
    let left = x;
    if (clipX) {
      // As Ink: the line cut to the clip's left and right edges (exclusive) before its transformers run.
      const { x1, x2 } = clip as Required<Clip>;
      const raw = toCells(line);
      line = cellsToLine(raw.slice(x < x1 ? x1 - x : 0, x + raw.length > x2 ? Math.max(0, x2 - x) : raw.length), false);
      if (x < x1) left = x1;
    }
    for (const transformer of operation.transformers) line = transformer(line, index);
    const cells = toCells(line);
    // As Ink: past the width the row grows (a frame never does: every pane fits), before column 0 nothing shows.
    for (let i = 0; i < cells.length; i++) {
      const column = left + i;
      if (column >= 0) row[column] = cells[i]!;
    }
  });
}

/** Ink's Output class, from the file beside Ink's entry point (its package exports only the entry). */
async function inkOutputClass(): Promise<{ prototype: { get: Get } } | undefined> {
  try {
    const entry = createRequire(import.meta.url).resolve('ink');
    const module = (await import(pathToFileURL(join(dirname(entry), 'output.js')).href)) as { default?: { prototype: { get: Get } } };
    return typeof module.default?.prototype.get === 'function' ? module.default : undefined;
  } catch {
    return undefined;
  }
}

/** Ink's own layout, kept for frames this one leaves to it (and for the test that compares them). */
export let inkLayOut: Get | undefined;

/** Lays Ink's frames out with terminal-cells.ts from now on; false when this Ink has no Output.get to take over. */
export async function layOutFramesFast(): Promise<boolean> {
  const Output = await inkOutputClass();
  if (!Output) return false;
  if (inkLayOut) return true;
  const original = Output.prototype.get;
  inkLayOut = original;
  Output.prototype.get = function (this: InkOutput) {
    return layOut(this) ?? original.call(this);
  };
  return true;
}
