// The UI's own state (focus, selection, the open dialog) as a pure reducer, apart from the engine's.
import type { OrderRequest, Side } from '../engine/index.ts';
import type { TicketFields } from './dialogs/order-ticket-state.ts';
import { PANE_ORDER, type PaneId } from './layout.ts';

export type Dialog =
  /** replacing: the working order the ticket replaces, its fields filled in. */
  | { kind: 'ticket'; side: Side; symbol: string; replacing?: { id: string; fields: TicketFields } }
  | { kind: 'strategy' }
  | { kind: 'help' }
  | { kind: 'addSymbol' }
  | { kind: 'confirm'; action: 'quit' | 'cancelAll' | 'killSwitch' | 'releaseKillSwitch'; message: string }
  /** --confirm-orders: a quick order asks first. */
  | { kind: 'confirm'; action: 'place'; request: OrderRequest; message: string };

export interface AppState {
  focus: PaneId;
  /** Selected row per pane; kept in range by `clamp` as rows come and go. */
  selected: Record<PaneId, number>;
  dialog: Dialog | undefined;
  /** Counts dialogs opened, so each opening mounts a fresh dialog (no state left from the last). */
  opened: number;
}

export type AppAction =
  | { type: 'move'; delta: number; rows: number }
  | { type: 'nextPane' }
  | { type: 'open'; dialog: Dialog }
  | { type: 'close' }
  | { type: 'clamp'; rows: Record<PaneId, number> };

export const initialAppState: AppState = {
  focus: 'quotes',
  selected: { quotes: 0, positions: 0, orders: 0, chart: -1, log: -1 },
  dialog: undefined,
  opened: 0,
};

export function appReducer(state: AppState, action: AppAction): AppState {
  switch (action.type) {
    case 'move': {
      const current = state.selected[state.focus];
      if (current < 0 || action.rows === 0) return state;
      const next = Math.min(action.rows - 1, Math.max(0, current + action.delta));
      return next === current ? state : { ...state, selected: { ...state.selected, [state.focus]: next } };
    }
    case 'nextPane':
      return { ...state, focus: PANE_ORDER[(PANE_ORDER.indexOf(state.focus) + 1) % PANE_ORDER.length]! };
    case 'open':
      return { ...state, dialog: action.dialog, opened: state.opened + 1 };
    case 'close':
      return state.dialog ? { ...state, dialog: undefined } : state;
    case 'clamp': {
      let changed = false;
      const selected = { ...state.selected };
      for (const pane of ['quotes', 'positions', 'orders'] as const) {
        const bound = Math.max(0, action.rows[pane] - 1);
        if (selected[pane] > bound) {
          selected[pane] = bound;
          changed = true;
        }
      }
      return changed ? { ...state, selected } : state;
    }
  }
}
