import { Box, Text, useInput, type Key } from 'ink';
import { useCallback, useEffect, useRef, useState, type ReactNode } from 'react';
import { EngineInputError, type Engine, type OrderRequest, type Side } from '../engine/index.ts';
import { appReducer, initialAppState, type Dialog } from './app-state.ts';
import { ConfirmDialog } from './dialogs/confirm-dialog.tsx';
import { HelpOverlay } from './dialogs/help-overlay.tsx';
import { OrderTicket } from './dialogs/order-ticket.tsx';
import { StrategyPicker } from './dialogs/strategy-picker.tsx';
import { TextPrompt } from './dialogs/text-prompt.tsx';
import { DialogKeyRouteContext, type DialogKeyRoute } from './hooks/use-dialog-keys.ts';
import { useTerminalSize } from './hooks/use-terminal-size.ts';
import { useUiState } from './hooks/use-ui-state.ts';
import { commandFor, type Command, type KeyPress } from './keymap.ts';
import { computeLayout, type PaneBox } from './layout.ts';
import { ChartPane } from './panes/chart-pane.tsx';
import { LogPane } from './panes/log-pane.tsx';
import { OrdersPane } from './panes/orders-pane.tsx';
import type { PaneProps } from './panes/pane-props.ts';
import { PositionsPane } from './panes/positions-pane.tsx';
import { QuotesPane } from './panes/quotes-pane.tsx';
import { StatusBar } from './panes/status-bar.tsx';
import { isWorkingOrder, positions, rowCount, watchlistRows, workingOrders } from './selectors.ts';
import type { UiState, UiStore } from './store.ts';
import type { Theme } from './theme.ts';

export interface StrategyChoice {
  name: string;
  description: string;
  params: Record<string, unknown>;
}

export interface AppProps {
  engine: Engine;
  store: UiStore;
  theme: Theme;
  strategies: readonly StrategyChoice[];
  /** Size of a B/S quick order for a symbol. */
  quickQty: (symbol: string) => string;
  onQuit: () => void;
}

const PANES = { quotes: QuotesPane, positions: PositionsPane, orders: OrdersPane, chart: ChartPane, log: LogPane } as const;

/** The root: layout, key dispatch and dialogs. Panes read the batched UI state; commands go to the engine. */
export function App({ engine, store, theme, strategies, quickQty, onQuit }: AppProps) {
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
  const act = (work: () => void) => {
    work();
    store.refresh();
  };

  // Keys can arrive faster than frames: handlers read the newest state, not the last rendered one.
  const selectedSymbol = (): string | undefined => {
    const state = store.getState();
    const ui = current();
    if (ui.focus === 'positions') return positions(state)[ui.selected.positions]?.symbol;
    if (ui.focus === 'orders') return workingOrders(state)[ui.selected.orders]?.symbol;
    return watchlistRows(state)[ui.selected.quotes]?.symbol;
  };

  const place = (request: OrderRequest) =>
    act(() => {
      const order = engine.submitOrder(request);
      // A fill is logged by itself; say only what did not fill at once.
      if (order.status === 'rejected') store.note('warn', `order rejected: ${order.reason}`);
      else if (order.status !== 'filled') store.note('info', `${order.id} ${order.side} ${order.qty} ${order.symbol} ${order.type}: ${order.status.replace('_', ' ')}`);
    });

  const run = (command: Command) => {
    const state = store.getState();
    const ui = current();
    const symbol = selectedSymbol();
    switch (command) {
      case 'up':
      case 'down':
        return dispatch({ type: 'move', delta: command === 'up' ? -1 : 1, rows: rowCount(state, ui.focus) });
      case 'nextPane':
        return dispatch({ type: 'nextPane' });
      case 'buy':
      case 'sell':
        if (!symbol) return act(() => store.note('warn', 'no symbol selected: add one with a'));
        return dispatch({ type: 'open', dialog: { kind: 'ticket', side: command, symbol } });
      case 'quickBuy':
      case 'quickSell':
        if (!symbol) return act(() => store.note('warn', 'no symbol selected: add one with a'));
        return place({ symbol, side: (command === 'quickBuy' ? 'buy' : 'sell') as Side, qty: quickQty(symbol), type: 'market' });
      case 'cancelOrder': {
        const order = workingOrders(state)[ui.selected.orders];
        if (!order) return act(() => store.note('warn', 'no working order to cancel'));
        return act(() => {
          const result = engine.cancelOrder(order.id);
          store.note(result.ok ? 'info' : 'warn', result.ok ? `canceled ${order.id}` : result.error);
        });
      }
      case 'cancelAll': {
        const count = liveWorkingCount(engine);
        if (count === 0) return act(() => store.note('info', 'no working orders'));
        return dispatch({ type: 'open', dialog: { kind: 'confirm', action: 'cancelAll', message: `Cancel all ${count} working order${count === 1 ? '' : 's'}?` } });
      }
      case 'strategy':
        return dispatch({ type: 'open', dialog: { kind: 'strategy' } });
      case 'addSymbol':
        return dispatch({ type: 'open', dialog: { kind: 'addSymbol' } });
      case 'removeSymbol': {
        const removed = watchlistRows(state)[ui.selected.quotes]?.symbol;
        if (!removed) return;
        return act(() => tryCommand(store, () => engine.removeSymbol(removed), `removed ${removed}`));
      }
      case 'help':
        return dispatch({ type: 'open', dialog: { kind: 'help' } });
      case 'quit': {
        // Asked of the engine itself: the screen may be a frame behind an order just placed.
        const working = liveWorkingCount(engine);
        if (working === 0) return onQuit();
        const message = `${working} order${working === 1 ? ' is' : 's are'} working and will be lost (no durable account yet). Quit?`;
        return dispatch({ type: 'open', dialog: { kind: 'confirm', action: 'quit', message } });
      }
    }
  };

  useInput((input, key) => {
    const press: KeyPress = { input, ...key };
    const dialog = current().dialog;
    // Ctrl-C always quits, even from a dialog; Escape and ? close the help.
    if (key.ctrl && input === 'c') return onQuit();
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

  const dialogWidth = Math.min(72, layout.width - 2);
  const body = layout.height - layout.statusBarHeight;
  // Dialogs sit in a blank band across the screen, below the quotes when there is room.
  const bandHeight = Math.min(body, ui.dialog?.kind === 'help' ? 18 : DIALOG_HEIGHT);
  const bandTop = Math.max(0, Math.min(Math.floor((body - bandHeight) / 2), body - bandHeight));
  return (
    <DialogKeyRouteContext.Provider value={dialogRoute}>
    <Box flexDirection="column" width={layout.width} height={layout.height}>
      <Box flexDirection="row" height={body}>
        {layout.columns.map((column, index) => (
          <Box key={index} flexDirection="column" width={column[0]?.width ?? 0}>
            {column.map((box) => renderPane(box, rendered, ui.focus === box.id, ui.selected[box.id], theme))}
          </Box>
        ))}
      </Box>
      <StatusBar state={rendered} width={layout.width} theme={theme} />
      {ui.dialog ? (
        <DialogLayer key={ui.opened} top={bandTop} width={layout.width} height={bandHeight} dialogWidth={dialogWidth}>
          {renderDialog(ui.dialog, { engine, store, theme, strategies, width: dialogWidth, height: bandHeight, close, place, act, active: rendered.snapshot.strategy?.name ?? null, onQuit })}
        </DialogLayer>
      ) : null}
    </Box>
    </DialogKeyRouteContext.Provider>
  );
}

const DIALOG_HEIGHT = 12;

const liveWorkingCount = (engine: Engine): number => engine.snapshot({ recent: 0 }).orders.filter(isWorkingOrder).length;

/** useReducer whose newest state can be read at once (a ref), before React renders it. */
function useLatestReducer<S, A>(reducer: (state: S, action: A) => S, initial: S): [S, (action: A) => void, () => S] {
  const latest = useRef(initial);
  const [state, setState] = useState(initial);
  const dispatch = useCallback((action: A) => {
    latest.current = reducer(latest.current, action);
    setState(latest.current);
  }, [reducer]);
  return [state, dispatch, () => latest.current];
}

/**
 * Ink draws an absolute box over the panes but does not clear what it does not write, so the
 * band is first painted with spaces: no pane text can show through a dialog.
 */
function DialogLayer({ top, width, height, dialogWidth, children }: { top: number; width: number; height: number; dialogWidth: number; children: ReactNode }) {
  const blank = ' '.repeat(width);
  return (
    <Box position="absolute" marginTop={top} width={width} height={height} flexDirection="column">
      <Box position="absolute" flexDirection="column">
        {Array.from({ length: height }, (_, row) => (
          <Text key={row}>{blank}</Text>
        ))}
      </Box>
      <Box width={width} height={height} justifyContent="center" alignItems="center" overflow="hidden">
        <Box width={dialogWidth}>{children}</Box>
      </Box>
    </Box>
  );
}

function renderPane(box: PaneBox, state: UiState, focused: boolean, selected: number, theme: Theme) {
  const Pane = PANES[box.id] as (props: PaneProps) => React.ReactNode;
  return <Pane key={box.id} state={state} width={box.width} height={box.height} focused={focused} selected={focused ? selected : -1} theme={theme} />;
}

interface DialogContext {
  engine: Engine;
  store: UiStore;
  theme: Theme;
  strategies: readonly StrategyChoice[];
  width: number;
  height: number;
  active: string | null;
  close: () => void;
  place: (request: OrderRequest) => void;
  act: (work: () => void) => void;
  onQuit: () => void;
}

function renderDialog(dialog: Dialog, context: DialogContext) {
  const { engine, store, theme, width, close, act } = context;
  switch (dialog.kind) {
    case 'ticket':
      return (
        <OrderTicket
          side={dialog.side}
          symbol={dialog.symbol}
          width={width}
          theme={theme}
          onSubmit={(request) => {
            close();
            context.place(request);
          }}
          onCancel={close}
        />
      );
    case 'strategy':
      return (
        <StrategyPicker
          strategies={[...context.strategies]}
          active={context.active}
          width={width}
          theme={theme}
          onSubmit={(name, params) => {
            close();
            act(() =>
              name === null
                ? tryCommand(store, () => engine.clearStrategy(), 'strategy stopped')
                : tryCommand(store, () => engine.setStrategy(name, params), `strategy ${name} running`),
            );
          }}
          onCancel={close}
        />
      );
    case 'help':
      return <HelpOverlay width={width} theme={theme} height={context.height} />;
    case 'addSymbol':
      return (
        <TextPrompt
          label="Add symbol (AAPL, X:BTCUSD, C:EURUSD)"
          width={width}
          theme={theme}
          validate={(text) => (text.trim() === '' ? 'type a symbol' : undefined)}
          onSubmit={(text) => {
            close();
            act(() => tryCommand(store, () => engine.addSymbol(text), `added ${text.trim().toUpperCase()}`));
          }}
          onCancel={close}
        />
      );
    case 'confirm':
      return (
        <ConfirmDialog
          message={dialog.message}
          width={width}
          theme={theme}
          onConfirm={() => {
            close();
            if (dialog.action === 'quit') context.onQuit();
            else act(() => store.note('info', `canceled ${engine.cancelAllOrders()} orders`));
          }}
          onCancel={close}
        />
      );
  }
}

/** Runs an engine command; its EngineInputError becomes a log line instead of a crash. */
function tryCommand(store: UiStore, command: () => unknown, done: string): void {
  try {
    command();
    store.note('info', done);
  } catch (error) {
    if (!(error instanceof EngineInputError)) throw error;
    store.note('warn', error.message);
  }
}
