import { EventEmitter } from 'node:events';
import { toAscii } from './glyphs.ts';
import { rewriteRow, toCells, type Cell } from './terminal-cells.ts';

// Ink (without its incrementalRendering, which leaves stale lines) rewrites the whole frame on
// every render: it erases the previous frame line by line, then writes the new one. Over SSH
// that is 4–9 KB a frame. This stream sits between Ink and the terminal and writes only the
// cells that changed, each run at its absolute row and column. It relies on two facts of our full-screen UI:
// the frame starts at the top-left of the alternate screen, and it is shorter than the terminal.

const ERASE_PREFIX = /^(?:\u001B\[2K(?:\u001B\[1A)?)*\u001B\[G/;
const ERASE_ONLY = /^(?:\u001B\[2K(?:\u001B\[1A)?)+\u001B\[G$/;

export class LineDiffStdout extends EventEmitter {
  readonly #target: NodeJS.WriteStream;
  #previous: { lines: string[]; cells: Cell[][] } | undefined;
  #bytesIn = 0;
  #bytesOut = 0;
  readonly #ascii: boolean;

  /** ascii: the terminal's locale is not UTF-8: each line's drawing characters become ASCII ones (glyphs.ts). */
  constructor(target: NodeJS.WriteStream, options: { ascii?: boolean } = {}) {
    super();
    this.#target = target;
    this.#ascii = options.ascii ?? false;
    // After a resize the terminal may have reflowed the old frame: draw the next one whole.
    target.on('resize', () => {
      this.#previous = undefined;
      this.#target.write('\u001B[2J');
      this.emit('resize');
    });
  }

  get isTTY(): boolean {
    return Boolean(this.#target.isTTY);
  }

  get columns(): number {
    return this.#target.columns;
  }

  get rows(): number {
    return this.#target.rows;
  }

  /** Bytes Ink asked to write, and bytes that reached the terminal. */
  get traffic(): { in: number; out: number } {
    return { in: this.#bytesIn, out: this.#bytesOut };
  }

  write = (chunk: string | Uint8Array): boolean => {
    const text = typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
    this.#bytesIn += Buffer.byteLength(text);
    return this.#send(this.#transform(text));
  };

  #transform(text: string): string {
    // Erasing without a new frame (Ink's clear): the screen is blank from here on.
    if (ERASE_ONLY.test(text)) {
      this.#previous = undefined;
      return '\u001B[H\u001B[2J';
    }
    const prefix = ERASE_PREFIX.exec(text);
    if (!prefix) return text; // cursor show/hide and anything else pass through as they are
    const frame = text.slice(prefix[0].length);
    const lines = (this.#ascii ? toAscii(frame) : frame).split('\n');
    const previous = this.#previous;
    const cells: Cell[][] = [];
    let out = '';
    const rows = Math.max(lines.length, previous?.lines.length ?? 0);
    for (let row = 0; row < rows; row++) {
      const line = lines[row] ?? '';
      if (previous && previous.lines[row] === line) {
        cells.push(previous.cells[row]!);
        continue;
      }
      const now = toCells(line);
      cells.push(now);
      // Without a previous frame the row is unknown: rewrite it whole, erasing what was there.
      out += previous ? rewriteRow(row + 1, previous.cells[row] ?? [], now) : `\u001B[${row + 1};1H\u001B[0m${line}\u001B[0m\u001B[K`;
    }
    this.#previous = { lines, cells };
    // Leave the cursor where a whole-frame write would have: Ink's next erase starts from there.
    return `${out}\u001B[${lines.length};1H`;
  }

  #send(text: string): boolean {
    if (text === '') return true;
    this.#bytesOut += Buffer.byteLength(text);
    return this.#target.write(text);
  }
}
