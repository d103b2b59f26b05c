// One line of progress on a terminal, drawn again in place (at most ten times a second); on a
// pipe or a file, nothing: a script reading stderr gets only what went wrong.

export interface ProgressBar {
  /** Shows `label` and a bar `fraction` (0 to 1) full. */
  show(label: string, fraction: number): void;
  /** Clears the line, so what follows starts clean. */
  end(): void;
  /** Writes a line of its own above the bar (the bar comes back with the next show). */
  say(line: string): void;
}

const WIDTH = 24;
const EVERY_MS = 100;

export function progressBar(stream: NodeJS.WriteStream): ProgressBar {
  if (!stream.isTTY) return { show: () => undefined, end: () => undefined, say: (line) => void stream.write(line) };
  let shownAt = 0;
  let shown = false;
  return {
    show(label, fraction) {
      const now = Date.now();
      if (now - shownAt < EVERY_MS && fraction < 1) return;
      shownAt = now;
      shown = true;
      const filled = Math.round(Math.min(1, Math.max(0, fraction)) * WIDTH);
      const line = `[${'#'.repeat(filled)}${'.'.repeat(WIDTH - filled)}] ${String(Math.floor(fraction * 100)).padStart(3)}% ${label}`;
      stream.write(`\r\x1b[K${line.slice(0, Math.max(10, (stream.columns ?? 80) - 1))}`);
    },
    end() {
      if (shown) stream.write('\r\x1b[K');
      shown = false;
    },
    say(line) {
      this.end();
      shownAt = 0;
      stream.write(line);
    },
  };
}
