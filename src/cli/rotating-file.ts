// An append-only log file that rotates by size: paper-trader.log → paper-trader.log.1 → … .N, the
// oldest dropped, so a long-lived data directory holds at most (N + 1) × the limit of each log.
// Writes are synchronous (every line is on disk when the process exits) and never throw: a full
// disk makes the log go quiet rather than stop a trading session.
import { closeSync, fstatSync, openSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';

/** Rotated files kept beside the live one. */
export const ROTATED_KEPT = 3;

export class RotatingFile {
  readonly #path: string;
  readonly #maxBytes: number;
  #fd: number;
  #size: number;

  /** Opens (creating it 0600) the file at path; throws when it cannot be opened. */
  constructor(path: string, maxBytes: number) {
    this.#path = path;
    this.#maxBytes = maxBytes;
    this.#fd = openSync(path, 'a', 0o600);
    this.#size = fstatSync(this.#fd).size;
  }

  write(text: string): boolean {
    try {
      if (this.#size >= this.#maxBytes) this.#rotate();
      this.#size += writeSync(this.#fd, text);
    } catch {
      // full disk, or the folder gone: quiet
    }
    return true;
  }

  close(): void {
    try {
      closeSync(this.#fd);
    } catch {
      // already closed
    }
  }

  #rotate(): void {
    // Another paper-trader on the same data directory may have rotated it already: then follow it.
    if (!this.#renamedByOther()) {
      rmSync(`${this.#path}.${ROTATED_KEPT}`, { force: true });
      for (let n = ROTATED_KEPT - 1; n >= 1; n--) moveIfThere(`${this.#path}.${n}`, `${this.#path}.${n + 1}`);
      renameSync(this.#path, `${this.#path}.1`);
    }
    closeSync(this.#fd);
    this.#fd = openSync(this.#path, 'a', 0o600);
    this.#size = fstatSync(this.#fd).size;
  }

  #renamedByOther(): boolean {
    try {
      return statSync(this.#path).ino !== fstatSync(this.#fd).ino;
    } catch {
      return true;
    }
  }
}

function moveIfThere(from: string, to: string): void {
  try {
    renameSync(from, to);
  } catch {
    // not there yet
  }
}
