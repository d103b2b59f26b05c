// What the terminal can show. A non-UTF-8 locale (LANG=C, ISO-8859-1) gets the same screen in
// ASCII: every line Ink writes has its drawing characters swapped one for one (so nothing moves).
// TERM=dumb cannot draw a screen at all: the CLI runs --headless there.

/** One ASCII character for each drawing character the screen uses; anything else shows as '?'. */
const ASCII: Readonly<Record<string, string>> = {
  // Sparklines and candle bodies: low to high.
  '▁': '_', '▂': '.', '▃': ':', '▄': '-', '▅': '=', '▆': '+', '▇': '*', '█': '#',
  // Lines, corners and ticks of charts and dialog borders.
  '─': '-', '│': '|', '┃': '|', '╭': '+', '╮': '+', '╰': '+', '╯': '+', '┼': '+', '┤': '|', '├': '|', '┬': '+', '┴': '+', '╶': '-', '╴': '-',
  '↑': '^', '↓': 'v', '←': '<', '→': '>', '…': '~', '·': '-', '×': 'x', '✓': '*', '▶': '>', '●': '*',
  // Punctuation in messages: dashes, the minus sign, approximately, the ticket's focus marks.
  '—': '-', '–': '-', '−': '-', '≈': '~', '›': '>', '‹': '<', 'Σ': 'S', '§': 'S',
};

const NON_ASCII = /[^\u0000-\u007f]/g;

/** The text with each non-ASCII character replaced by one ASCII character: the same width. */
export const toAscii = (text: string): string => text.replace(NON_ASCII, (char) => ASCII[char] ?? '?');

export interface TerminalKind {
  /** TERM=dumb: no cursor movement, no alternate screen, no colour. */
  dumb: boolean;
  /** The locale does not say UTF-8: draw in ASCII. */
  ascii: boolean;
}

/**
 * The terminal as the environment describes it. The first of LC_ALL, LC_CTYPE and LANG that is
 * set names the character set (as setlocale reads them); none set is taken as UTF-8, what every
 * terminal emulator of the last decade speaks. PAPER_TRADER_ASCII=1 (or 0) decides instead.
 */
export function terminalKind(env: NodeJS.ProcessEnv = process.env): TerminalKind {
  const dumb = env.TERM === 'dumb';
  const forced = env.PAPER_TRADER_ASCII;
  if (forced === '1' || forced === '0') return { dumb, ascii: forced === '1' };
  const locale = [env.LC_ALL, env.LC_CTYPE, env.LANG].find((value) => value !== undefined && value !== '');
  return { dumb, ascii: dumb || (locale !== undefined && !/utf-?8/i.test(locale)) };
}
