// Reads a secret without it reaching shell history or the screen: a hidden prompt on a terminal,
// the first line of a pipe otherwise.
import { createInterface } from 'node:readline';

/** The first line of stdin (a pipe or file); undefined when stdin is empty. */
export async function readLine(input: NodeJS.ReadStream = process.stdin): Promise<string | undefined> {
  const lines = createInterface({ input, crlfDelay: Infinity, terminal: false });
  try {
    for await (const line of lines) return line;
    return undefined;
  } finally {
    lines.close();
  }
}

/** Prompts on stderr and reads one line from a terminal in raw mode, echoing nothing. Ctrl-C or Ctrl-D gives undefined. */
export function readHidden(prompt: string, input: NodeJS.ReadStream = process.stdin, output: NodeJS.WriteStream = process.stderr): Promise<string | undefined> {
  // Raw mode first: a key typed the moment the prompt shows must not be echoed by the terminal.
  input.setRawMode(true);
  output.write(prompt);
  input.resume();
  input.setEncoding('utf8');
  let typed = '';
  return new Promise((resolve) => {
    const done = (value: string | undefined) => {
      input.off('data', onData);
      input.setRawMode(false);
      input.pause();
      output.write('\n');
      resolve(value);
    };
    const onData = (chunk: string) => {
      for (const char of chunk) {
        if (char === '\r' || char === '\n') return done(typed);
        if (char === '\u0003' || (char === '\u0004' && typed === '')) return done(undefined);
        if (char === '\u007f' || char === '\b') typed = typed.slice(0, -1);
        else if (char >= ' ') typed += char;
      }
    };
    input.on('data', onData);
  });
}

/** A secret from stdin, whichever kind stdin is. */
export function readSecret(prompt: string): Promise<string | undefined> {
  return process.stdin.isTTY ? readHidden(prompt) : readLine();
}
