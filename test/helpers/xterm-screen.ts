// A real terminal emulator (xterm.js, headless) behind a fake TTY stream: what Ink writes is
// interpreted exactly as a terminal would, so two renderings can be compared cell by cell.
import { EventEmitter } from 'node:events';
import xterm from '@xterm/headless';

export class XtermStdout extends EventEmitter {
  readonly isTTY = true;
  readonly terminal: InstanceType<typeof xterm.Terminal>;
  bytes = 0;
  #pending: Promise<void> = Promise.resolve();

  constructor(readonly columns: number, readonly rows: number) {
    super();
    this.terminal = new xterm.Terminal({ cols: columns, rows, allowProposedApi: true, convertEol: true });
    // convertEol: a real tty turns LF into CR LF (onlcr); xterm gets the raw bytes.
  }

  write = (data: string): boolean => {
    this.bytes += Buffer.byteLength(data);
    this.#pending = this.#pending.then(() => new Promise<void>((resolve) => this.terminal.write(data, resolve)));
    return true;
  };

  /** The visible screen, one string per row, trailing spaces trimmed. */
  async screen(): Promise<string[]> {
    await this.#pending;
    const buffer = this.terminal.buffer.active;
    return Array.from({ length: this.rows }, (_, row) => (buffer.getLine(buffer.viewportY + row)?.translateToString(true) ?? '').trimEnd());
  }
}
