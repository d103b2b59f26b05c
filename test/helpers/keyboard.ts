import { EventEmitter } from 'node:events';

/**
 * A raw-mode TTY stdin to type into, shaped as Ink reads one: 'readable', then read() until null.
 * No Ink import here, so the benchmark can use it before it decides how Ink is loaded.
 */
export class Keyboard extends EventEmitter {
  readonly isTTY = true;
  readonly #pending: string[] = [];

  write(data: string): void {
    this.#pending.push(data);
    this.emit('readable');
  }

  read = (): string | null => this.#pending.shift() ?? null;
  setEncoding(): void {}
  setRawMode(): void {}
  resume(): void {}
  pause(): void {}
  ref(): void {}
  unref(): void {}
}
