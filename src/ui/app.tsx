import { Box, useInput, type Key } from 'ink';
import { useEffect, useRef } from 'react';
import type { Engine } from '../engine/index.ts';
import { appReducer, initialAppState, type AppAction, type View } from './app-state.ts';
import { ActivityView } from './views/activity-view.tsx';
import { PerformanceView } from './views/performance-view.tsx';
import { SymbolView } from './views/symbol-view.tsx';
import { DIALOG_HEIGHT, DialogLayer, HELP_HEIGHT, renderDialog } from './dialogs/dialog-layer.tsx';
import { useCommands } from './hooks/use-commands.ts';
import { DialogKeyRouteContext, type DialogKeyRoute } from './hooks/use-dialog-keys.ts';
import { useLatestReducer } from './hooks/use-latest-reducer.ts';
import { mouseActions, useMouse } from './hooks/use-mouse.ts';
import type { MouseEvent } from './mouse.ts';
import { useTerminalSize } from './hooks/use-terminal-size.ts';
import { useUiState } from './hooks/use-ui-state.ts';
import { commandFor, type KeyPress } from './keymap.ts';
import { computeLayout, type PaneBox } from './layout.ts';
import { ChartPane } from './panes/chart-pane.tsx';
import { LogPane } from './panes/log-pane.tsx';
import { OrdersPane } from './panes/orders-pane.tsx';
import type { PaneProps } from './panes/pane-props.ts';
import { PositionsPane } from './panes/positions-pane.tsx';
import { QuotesPane } from './panes/quotes-pane.tsx';
import { StatusBar } from './panes/status-bar.tsx';
import { rowCount } from './selectors.ts';
import type { UiState, UiStore } from './store.ts';
import type { SortState } from './sorting.ts';
import type { Theme } from './theme.ts';
import type { StrategyOption } from './dialogs/strategy-picker-state.ts';

/** A strategy the picker offers: the same shape as the picker's own option. */
export type StrategyChoice = StrategyOption;

export interface AppProps {
  engine: Engine;
  store: UiStore;
  theme: Theme;
  strategies: readonly StrategyChoice[];
  /** Size of a B/S quick order for a symbol. */
  quickQty: (symbol: string) => string;
  /** --confirm-orders: every order asks before it is placed. */
  confirmOrders?: boolean | undefined;
  /** The terminal's mouse reports (render.tsx): clicks and the wheel. */
  mouse?: ((listener: (event: MouseEvent) => void) => () => void) | undefined;
  onQuit: () => void;
}

const PANES = { quotes: QuotesPane, positions: PositionsPane, orders: OrdersPane, chart: ChartPane, log: LogPane } as const;

/** The root: layout, key dispatch and dialogs. Panes read the batched UI state; commands go to the engine. */
export function App({ engine, store, theme, strategies, quickQty, onQuit, confirmOrders = false, mouse }: AppProps) {
  const rendered = useUiState(store);
  const { columns, rows } = useTerminalSize();
  const [ui, dispatch, current] = useLatestReducer(appReducer, initialAppState);
  const layout = computeLayout(columns, rows);

  // Rows come and go (orders fill, symbols leave): keep every selection on a row.
  useEffect(() => {
    const state = rendered;
    dispatch({ type: 'clamp', rows: { quotes: rowCount(state, 'quotes'), positions: rowCount(state, 'positions'), orders: rowCount(state, 'orders'), chart: 0, log: 0 } });
  }, [rendered]);

  // Keys for the open dialog: routed to its handler, queued until it has rendered once.
  const dialogRoute = useRef<DialogKeyRoute>({ current: undefined }).current;
  const queued = useRef<[string, Key][]>([]).current;
  useEffect(() => {
    while (dialogRoute.current && queued.length > 0 && current().dialog) {
      const [input, key] = queued.shift()!;
      dialogRoute.current(input, key);
    }
  });
  const close = () => {
    dialogRoute.current = undefined;
    queued.length = 0;
    dispatch({ type: 'close' });
  };
  const act = <T,>(work: () => T): T => {
    const result = work();
    store.refresh();
    return result;
  };

  const body = layout.height - layout.statusBarHeight;
  // A view's page: its lines between its title and its keys.
  const { run, place } = useCommands({ engine, store, quickQty, onQuit, current, dispatch, act, confirmOrders, pageLines: () => Math.max(1, body - 3) });

  useInput((input, key) => {
    const press: KeyPress = { input, ...key };
    const dialog = current().dialog;
    // Ctrl-C always quits, even from a dialog; Escape and ? close the help.
    if (key.ctrl && input === 'c') return onQuit();
    // A key after an alert went off dismisses it, and does its own work too.
    store.dismissAlert();
    if (dialog) {
      if (dialog.kind === 'help') {
        if (key.escape || input === '?' || input === 'q') close();
      } else if (dialogRoute.current && queued.length === 0) dialogRoute.current(input, key);
      else queued.push([input, key]);
      return;
    }
    const command = commandFor(press);
    if (command) run(command);
  });

  useMouse(mouse, (event) => {
    for (const action of mouseActions(event, current(), layout, store.getState(), theme)) dispatch(action);
  });

  const view = ui.view;

  // The help lists many keys: it gets the width; other dialogs read better narrow.
  const dialogWidth = ui.dialog?.kind === 'help' ? Math.max(1, layout.width - 2) : Math.min(72, layout.width - 2);
  // Dialogs sit in a blank band across the screen, below the quotes when there is room.
  const bandHeight = Math.min(body, ui.dialog?.kind === 'help' ? HELP_HEIGHT : DIALOG_HEIGHT);
  // body >= 0 (computeLayout's height is at least 1) and bandHeight <= body: the band always fits.
  const bandTop = Math.floor((body - bandHeight) / 2);
  return (
    <DialogKeyRouteContext.Provider value={dialogRoute}>
    <Box flexDirection="column" width={layout.width} height={layout.height}>
      {view.kind === 'main' ? (
        <Box flexDirection="row" height={body} columnGap={layout.gap}>
          {layout.columns.map((column, index) => (
            <Box key={index} flexDirection="column" width={column[0]?.width ?? 0}>
              {column.map((box) => renderPane(box, rendered, ui.focus === box.id, ui.selected[box.id], theme, box.id === 'quotes' || box.id === 'positions' ? ui.sort[box.id] : undefined))}
            </Box>
          ))}
        </Box>
      ) : (
        renderView(view, { engine, dispatch, state: rendered, width: layout.width, height: body, theme })
      )}
      <StatusBar state={rendered} width={layout.width} theme={theme} />
      {ui.dialog ? (
        <DialogLayer key={ui.opened} top={bandTop} width={layout.width} height={bandHeight} dialogWidth={dialogWidth}>
          {renderDialog(ui.dialog, { engine, store, theme, strategies, width: dialogWidth, height: bandHeight, close, place, act, active: rendered.snapshot.strategy?.name ?? null, onQuit, confirmOrders, openSymbol: (symbol) => dispatch({ type: 'view', view: { kind: 'symbol', symbol, range: '1D' } }), searchActivity: (query) => dispatch({ type: 'search', query }), screen: ui.view.kind })}
        </DialogLayer>
      ) : null}
    </Box>
    </DialogKeyRouteContext.Provider>
  );
}

interface ViewContext {
  engine: Engine;
  dispatch: (action: AppAction) => void;
  state: UiState;
  width: number;
  height: number;
  theme: Theme;
}

/** A full-screen view in place of the panes. */
function renderView(view: Exclude<View, { kind: 'main' }>, { engine, dispatch, state, width, height, theme }: ViewContext) {
  switch (view.kind) {
    case 'symbol': {
      const held = state.snapshot.portfolio.positions.find((position) => position.symbol === view.symbol)?.qty;
      return <SymbolView engine={engine} state={state} symbol={view.symbol} range={view.range} width={width} height={height} theme={theme} held={held} />;
    }
    case 'activity':
      return <ActivityView engine={engine} state={state} width={width} height={height} theme={theme} filter={view.filter} query={view.query} scroll={view.scroll} clampScroll={(max) => dispatch({ type: 'scrollTo', scroll: max })} />;
    case 'performance':
      return <PerformanceView engine={engine} state={state} width={width} height={height} theme={theme} />;
  }
}

function renderPane(box: PaneBox, state: UiState, focused: boolean, selected: number, theme: Theme, sort: SortState | undefined) {
  const Pane = PANES[box.id] as (props: PaneProps) => React.ReactNode;
  return <Pane key={box.id} state={state} width={box.width} height={box.height} focused={focused} selected={focused ? selected : -1} theme={theme} sort={sort} />;
}
