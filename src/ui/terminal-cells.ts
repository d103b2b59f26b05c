// A line of styled text as terminal cells, and the shortest rewrite from one line to another.
// Our UI text is single-width (letters, digits, box drawing, block elements, "…"), so one code
// point is one cell.

const SGR = /\u001B\[([0-9;]*)m/y;
const OTHER_ESCAPE = /\u001B\[[0-9;?]*[ -/]*[@-~]/y;

interface Style {
  fg: string;
  bg: string;
  bold: boolean;
  dim: boolean;
  italic: boolean;
  underline: boolean;
  inverse: boolean;
  strike: boolean;
}

const PLAIN: Style = { fg: '', bg: '', bold: false, dim: false, italic: false, underline: false, inverse: false, strike: false };

/** One cell: its character and the full SGR sequence that styles it ('' when plain). */
export interface Cell {
  ch: string;
  style: string;
}

/** Applies one SGR parameter list to a style (the subset of SGR that chalk and Ink emit). */
function applySgr(style: Style, params: string): Style {
  const codes = params === '' ? [0] : params.split(';').map(Number);
  const next = { ...style };
  for (let i = 0; i < codes.length; i++) {
    const code = codes[i]!;
    if (code === 0) Object.assign(next, PLAIN);
    else if (code === 1) next.bold = true;
    else if (code === 2) next.dim = true;
    else if (code === 22) next.bold = next.dim = false;
    else if (code === 3) next.italic = true;
    else if (code === 23) next.italic = false;
    else if (code === 4) next.underline = true;
    else if (code === 24) next.underline = false;
    else if (code === 7) next.inverse = true;
    else if (code === 27) next.inverse = false;
    else if (code === 9) next.strike = true;
    else if (code === 29) next.strike = false;
    else if ((code >= 30 && code <= 37) || (code >= 90 && code <= 97)) next.fg = String(code);
    else if (code === 39) next.fg = '';
    else if ((code >= 40 && code <= 47) || (code >= 100 && code <= 107)) next.bg = String(code);
    else if (code === 49) next.bg = '';
    else if (code === 38 || code === 48) {
      // 38;5;n or 38;2;r;g;b (and 48 for the background)
      const length = codes[i + 1] === 5 ? 2 : codes[i + 1] === 2 ? 4 : 0;
      const value = codes.slice(i, i + 1 + length).join(';');
      if (code === 38) next.fg = value;
      else next.bg = value;
      i += length;
    }
  }
  return next;
}

function sgrOf(style: Style): string {
  const codes: string[] = [];
  if (style.bold) codes.push('1');
  if (style.dim) codes.push('2');
  if (style.italic) codes.push('3');
  if (style.underline) codes.push('4');
  if (style.inverse) codes.push('7');
  if (style.strike) codes.push('9');
  if (style.fg) codes.push(style.fg);
  if (style.bg) codes.push(style.bg);
  return codes.length === 0 ? '' : `\u001B[0;${codes.join(';')}m`;
}

/** Splits a line as Ink wrote it into cells. Escapes other than SGR (there are none in frames) are dropped. */
export function toCells(line: string): Cell[] {
  const cells: Cell[] = [];
  let style = PLAIN;
  let sgr = '';
  for (let i = 0; i < line.length; ) {
    if (line.charCodeAt(i) === 0x1b) {
      SGR.lastIndex = i;
      const match = SGR.exec(line);
      if (match) {
        style = applySgr(style, match[1]!);
        sgr = sgrOf(style);
        i = SGR.lastIndex;
        continue;
      }
      OTHER_ESCAPE.lastIndex = i;
      if (OTHER_ESCAPE.exec(line)) {
        i = OTHER_ESCAPE.lastIndex;
        continue;
      }
    }
    const code = line.codePointAt(i)!;
    const ch = String.fromCodePoint(code);
    cells.push({ ch, style: sgr });
    i += ch.length;
  }
  return cells;
}

/** Cells back to a line: each style written where it changes, reset at the end; blank cells at the end left out (unless `trim` is false). */
export function cellsToLine(cells: readonly Cell[], trim = true): string {
  let end = cells.length;
  while (trim && end > 0 && isBlank(cells[end - 1])) end--;
  let out = '';
  let current = '';
  for (let i = 0; i < end; i++) {
    const cell = cells[i]!;
    if (cell.style !== current) {
      out += cell.style === '' ? '\u001B[0m' : cell.style;
      current = cell.style;
    }
    out += cell.ch;
  }
  return current === '' ? out : `${out}\u001B[0m`;
}

const sameCell = (a: Cell | undefined, b: Cell | undefined): boolean =>
  (a?.ch ?? ' ') === (b?.ch ?? ' ') && (a?.style ?? '') === (b?.style ?? '');

const isBlank = (cell: Cell | undefined): boolean => cell === undefined || (cell.ch === ' ' && cell.style === '');

/** Unchanged cells shorter than this between two changes are rewritten: a cursor move costs about as much. */
const MERGE_GAP = 8;

/**
 * The bytes that turn row `row` (1-based) showing `before` into `after`: each changed run of
 * cells is written at its column, and a blank tail is erased to the end of the line.
 */
export function rewriteRow(row: number, before: readonly Cell[], after: readonly Cell[]): string {
  const length = Math.max(before.length, after.length);
  let out = '';
  let column = 0;
  while (column < length) {
    if (sameCell(before[column], after[column])) {
      column++;
      continue;
    }
    // A run of changes, merged across short unchanged gaps.
    let end = column + 1;
    let lastChange = column;
    while (end < length && end - lastChange <= MERGE_GAP) {
      if (!sameCell(before[end], after[end])) lastChange = end;
      end++;
    }
    end = lastChange + 1;
    // Past the end of the new text everything is blank: erase instead of writing spaces.
    let erase = true;
    for (let i = end; i < length && erase; i++) if (!isBlank(after[i])) erase = false;
    let tail = end;
    while (erase && tail > column && isBlank(after[tail - 1])) tail--;
    out += `\u001B[${row};${column + 1}H`;
    let current: string | undefined;
    for (let i = column; i < tail; i++) {
      const cell = after[i];
      const style = cell?.style ?? '';
      if (style !== current) {
        out += style === '' ? '\u001B[0m' : style;
        current = style;
      }
      out += cell?.ch ?? ' ';
    }
    if (current !== undefined && current !== '') out += '\u001B[0m';
    if (erase) {
      out += '\u001B[0m\u001B[K';
      break;
    }
    column = end;
  }
  return out;
}
