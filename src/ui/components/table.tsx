import { Text } from 'ink';
import { fit, shortenNumber } from '../format.ts';
import type { Theme } from '../theme.ts';

export interface Column<Row> {
  header: string;
  width: number;
  align?: 'left' | 'right';
  /** The cell text; cut to the width with an ellipsis. */
  value: (row: Row) => string;
  /** The cell colour, e.g. green/red for PnL. */
  color?: (row: Row) => string | undefined;
}

export interface TableProps<Row> {
  columns: readonly Column<Row>[];
  rows: readonly Row[];
  /** Lines available, header included. */
  height: number;
  width: number;
  theme: Theme;
  /** Index of the highlighted row, or -1. */
  selected?: number;
  empty?: string;
}

/**
 * A dense typed table (one line per row, one space between columns) that never wraps. Written
 * here rather than @alcalzone/ink-table: that one draws borders, which cost two lines a pane.
 * Columns that do not fit the width are dropped from the right.
 */
export function Table<Row>({ columns, rows, height, width, theme, selected = -1, empty = '' }: TableProps<Row>) {
  const shown = fitColumns(columns, width);
  const bodyLines = Math.max(0, height - 1);
  const { overflow, room, first } = visibleRows(rows.length, height, selected);
  const visible = rows.slice(first, first + room);
  const line = (cells: string[]): string => cells.join(' ');
  if (height <= 0) return null;
  return (
    <>
      <Text color={theme.muted} wrap="truncate">
        {line(shown.map((column) => fit(column.header, column.width, column.align)))}
      </Text>
      {visible.length === 0 && bodyLines > 0 ? (
        <Text color={theme.muted} wrap="truncate">
          {fit(empty, width)}
        </Text>
      ) : null}
      {visible.map((row, index) => {
        const isSelected = first + index === selected;
        return (
          <Text key={first + index} inverse={isSelected} wrap="truncate">
            {segments(shown, row).map((segment, s) => (
              <Text key={s} color={segment.color}>
                {segment.text}
              </Text>
            ))}
          </Text>
        );
      })}
      {overflow ? (
        <Text color={theme.muted} wrap="truncate">
          {fit(hiddenRows(first, rows.length - first - visible.length, rows.length), width)}
        </Text>
      ) : null}
    </>
  );
}

/**
 * Which rows a table of `height` lines (header included) shows: `room` of them from `first`, the
 * selected one in view; when they do not all fit (`overflow`), the last line says how many are hidden.
 */
export function visibleRows(count: number, height: number, selected: number): { overflow: boolean; room: number; first: number } {
  const bodyLines = Math.max(0, height - 1);
  const overflow = count > bodyLines && bodyLines >= 2;
  const room = overflow ? bodyLines - 1 : bodyLines;
  return { overflow, room, first: selected >= room ? selected - room + 1 : 0 };
}

/** "↓ 5 more below · 12 in all", "↑ 2 above, ↓ 5 below · 12 in all": what j/k will bring into view. */
export function hiddenRows(above: number, below: number, total: number): string {
  const parts = [above > 0 ? `↑ ${above} above` : '', below > 0 ? `↓ ${below} ${above > 0 ? 'below' : 'more below'}` : ''].filter(Boolean);
  return `${parts.join(', ')} · ${total} in all (j/k)`;
}

/** A row's cells, neighbours of the same colour joined: fewer nodes for Ink to lay out every frame. */
function segments<Row>(columns: readonly Column<Row>[], row: Row): { text: string; color: string | undefined }[] {
  const joined: { text: string; color: string | undefined }[] = [];
  columns.forEach((column, c) => {
    const text = (c === 0 ? '' : ' ') + fit(shortenNumber(column.value(row), column.width), column.width, column.align);
    const color = column.color?.(row);
    const last = joined.at(-1);
    if (last && last.color === color) last.text += text;
    else joined.push({ text, color });
  });
  return joined;
}

/** The header of the column shown at `x` (0-based, in the table), or undefined (a gap, past the last). */
export function columnAt<Row>(columns: readonly Column<Row>[], width: number, x: number): string | undefined {
  let left = 0;
  for (const column of fitColumns(columns, width)) {
    if (x >= left && x < left + column.width) return column.header;
    left += column.width + 1;
  }
  return undefined;
}

/** Columns laid side by side, one space between neighbours. */
export function tableWidth<Row>(columns: readonly Column<Row>[]): number {
  return columns.reduce((sum, column) => sum + column.width, 0) + Math.max(0, columns.length - 1);
}

/** The columns that fit in width, left to right. */
export function fitColumns<Row>(columns: readonly Column<Row>[], width: number): Column<Row>[] {
  const shown: Column<Row>[] = [];
  let used = 0;
  for (const column of columns) {
    const needed = column.width + (shown.length === 0 ? 0 : 1);
    if (used + needed > width) break;
    shown.push(column);
    used += needed;
  }
  return shown;
}
