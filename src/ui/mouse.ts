// The mouse, as terminals report it in SGR mode (xterm's 1006): ESC [ < button ; column ; row M
// (pressed) or m (released). Clicks select and focus, the wheel scrolls. Over SSH this is what a
// terminal sends; holding Shift still selects text in xterm, iTerm2, GNOME Terminal and tmux.

/** Turns reporting of presses, releases and the wheel on, with SGR coordinates (any size of terminal). */
export const MOUSE_ON = '\u001B[?1000h\u001B[?1006h';
export const MOUSE_OFF = '\u001B[?1006l\u001B[?1000l';

export interface MouseEvent {
  kind: 'press' | 'release' | 'wheelUp' | 'wheelDown';
  /** 0 left, 1 middle, 2 right (for presses and releases). */
  button: number;
  /** 0-based cell. */
  x: number;
  y: number;
}

const SGR_MOUSE = /^\u001B\[<(\d+);(\d+);(\d+)([Mm])$/;

/** The mouse event a key sequence reports, or undefined when it is a key. */
export function parseMouse(sequence: string): MouseEvent | undefined {
  const match = SGR_MOUSE.exec(sequence);
  if (!match) return undefined;
  const code = Number(match[1]);
  const x = Number(match[2]) - 1;
  const y = Number(match[3]) - 1;
  // 64 and 65 are the wheel; 32 marks motion (not asked for); 4, 8, 16 are Shift, Alt, Ctrl held.
  if ((code & 64) !== 0) return { kind: (code & 1) === 0 ? 'wheelUp' : 'wheelDown', button: 0, x, y };
  return { kind: match[4] === 'M' ? 'press' : 'release', button: code & 3, x, y };
}
