import { EventEmitter } from 'node:events';
import { parseMouse } from './mouse.ts';

// Ink splits its input at escape sequences only, so keys that arrive in one read (fast typing,
// a paste, a laggy SSH link: "3\t1.00") reach the app as one string and the Tab is lost. This
// stdin hands Ink one key at a time: an escape sequence whole, anything else a character each.
// The mouse's reports are no keys: they leave as 'mouse' events (mouse.ts) and never reach Ink.

const CSI = /^\u001B\[[0-?]*[ -/]*[@-~]/;
const SS3 = /^\u001BO./;

export function splitKeys(text: string): string[] {
  const keys: string[] = [];
  for (let rest = text; rest.length > 0; ) {
    let key: string;
    if (rest.startsWith('\u001B')) key = CSI.exec(rest)?.[0] ?? SS3.exec(rest)?.[0] ?? rest.slice(0, rest.length > 1 ? 2 : 1);
    else key = String.fromCodePoint(rest.codePointAt(0)!);
    keys.push(key);
    rest = rest.slice(key.length);
  }
  return keys;
}

export class KeySplittingStdin extends EventEmitter {
  readonly #source: NodeJS.ReadStream;
  readonly #keys: string[] = [];

  constructor(source: NodeJS.ReadStream) {
    super();
    this.#source = source;
    source.setEncoding('utf8');
    source.on('readable', () => {
      let chunk: string | null;
      while ((chunk = source.read() as string | null) !== null) {
        for (const key of splitKeys(chunk)) {
          const mouse = key.startsWith('\u001B[<') ? parseMouse(key) : undefined;
          if (mouse) this.emit('mouse', mouse);
          else this.#keys.push(key);
        }
      }
      if (this.#keys.length > 0) this.emit('readable');
    });
  }

  get isTTY(): boolean {
    return Boolean(this.#source.isTTY);
  }

  read(): string | null {
    return this.#keys.shift() ?? null;
  }

  setEncoding(): this {
    return this;
  }

  setRawMode(mode: boolean): this {
    this.#source.setRawMode?.(mode);
    return this;
  }

  resume(): this {
    this.#source.resume();
    return this;
  }

  pause(): this {
    this.#source.pause();
    return this;
  }

  ref(): this {
    this.#source.ref?.();
    return this;
  }

  unref(): this {
    this.#source.unref?.();
    return this;
  }
}
