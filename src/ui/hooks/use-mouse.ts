import { useEffect, useRef } from 'react';
import type { AppAction, AppState } from '../app-state.ts';
import { columnAt, visibleRows } from '../components/table.tsx';
import { paneAt, type Layout } from '../layout.ts';
import type { MouseEvent } from '../mouse.ts';
import { positionColumns } from '../panes/positions-pane.tsx';
import { quoteColumns } from '../panes/quotes-pane.tsx';
import { rowCount } from '../selectors.ts';
import { sortByClick } from '../sorting.ts';
import type { UiState } from '../store.ts';
import type { Theme } from '../theme.ts';

/** Lines the wheel scrolls the activity view by, a notch. */
const WHEEL_LINES = 3;

/**
 * What a mouse event does: a click focuses the pane under it and selects the row clicked, or sorts
 * by the header clicked (again: the other way); the wheel moves the selection of the pane under
 * it, or scrolls the activity view. Nothing while a dialog is open: it has the keys.
 */
export function mouseActions(event: MouseEvent, ui: AppState, layout: Layout, state: UiState, theme: Theme): AppAction[] {
  if (ui.dialog) return [];
  const wheel = event.kind === 'wheelUp' ? -1 : event.kind === 'wheelDown' ? 1 : 0;
  if (ui.view.kind === 'activity') return wheel === 0 ? [] : [{ type: 'scroll', delta: -wheel * WHEEL_LINES }];
  if (ui.view.kind !== 'main') return [];
  const hit = paneAt(layout, event.x, event.y);
  if (!hit) return [];
  const pane = hit.box.id;
  const rows = rowCount(state, pane);
  if (wheel !== 0) return [{ type: 'focus', pane }, { type: 'move', delta: wheel, rows }];
  if (event.kind !== 'press' || event.button !== 0) return [];
  const line = event.y - hit.top;
  const x = event.x - hit.left;
  if (line === 1 && (pane === 'quotes' || pane === 'positions')) {
    const header = pane === 'quotes' ? columnAt(quoteColumns(theme, hit.box.width), hit.box.width, x) : columnAt(positionColumns(theme, hit.box.width), hit.box.width, x);
    if (header === undefined) return [{ type: 'focus', pane }];
    return [{ type: 'focus', pane }, { type: 'sort', pane, sort: sortByClick(pane, ui.sort[pane], header) }];
  }
  // Rows start under the title and the table's header; the table shows them from `first` on.
  const { first, room } = visibleRows(rows, hit.box.height - 1, ui.focus === pane ? ui.selected[pane] : -1);
  const index = line - 2;
  return index >= 0 && index < room && first + index < rows ? [{ type: 'focus', pane, row: first + index }] : [{ type: 'focus', pane }];
}

/** Subscribes to the terminal's mouse (render.tsx turns it on) while the app is mounted. */
export function useMouse(subscribe: ((listener: (event: MouseEvent) => void) => () => void) | undefined, handle: (event: MouseEvent) => void): void {
  const latest = useRef(handle);
  latest.current = handle;
  useEffect(() => subscribe?.((event) => latest.current(event)), [subscribe]);
}
