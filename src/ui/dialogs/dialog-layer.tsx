import { Box, Text } from 'ink';
import type { ReactNode } from 'react';
import { EngineInputError, type AlertRequest, type Engine, type OrderRequest } from '../../engine/index.ts';
import { messageOf } from '../../engine/errors.ts';
import type { Dialog } from '../app-state.ts';
import type { StrategyChoice } from '../app.tsx';
import { attempt } from '../hooks/use-commands.ts';
import type { UiStore } from '../store.ts';
import type { Theme } from '../theme.ts';
import { ConfirmDialog } from './confirm-dialog.tsx';
import { HelpOverlay } from './help-overlay.tsx';
import { OrderTicket } from './order-ticket.tsx';
import { replaceChanges, type TicketState } from './order-ticket-state.ts';
import { ticketPreview } from './ticket-preview.ts';
import { StrategyPicker } from './strategy-picker.tsx';
import type { Screen } from '../keymap.ts';
import { SymbolSearch } from './symbol-search.tsx';
import { TextPrompt } from './text-prompt.tsx';

/** Lines of the band a dialog sits in (the help gets more). */
export const DIALOG_HEIGHT = 14;
export const HELP_HEIGHT = 22;

/**
 * Ink draws an absolute box over the panes but does not clear what it does not write, so the
 * band is first painted with spaces: no pane text can show through a dialog.
 */
export function DialogLayer({ top, width, height, dialogWidth, children }: { top: number; width: number; height: number; dialogWidth: number; children: ReactNode }) {
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


export interface DialogContext {
  engine: Engine;
  store: UiStore;
  theme: Theme;
  strategies: readonly StrategyChoice[];
  width: number;
  height: number;
  active: string | null;
  close: () => void;
  /** Places an order; returns why the engine refused it, or nothing. */
  place: (request: OrderRequest) => string | undefined;
  act: <T>(work: () => T) => T;
  onQuit: () => void;
  /** --confirm-orders: a ticket asks before it places. */
  confirmOrders: boolean;
  /** Opens a symbol's view (a search's pick). */
  openSymbol: (symbol: string) => void;
  /** The activity view's search, set. */
  searchActivity: (query: string) => void;
  /** The screen under the dialog: the help lists its keys. */
  screen: Screen;
}

export function renderDialog(dialog: Dialog, context: DialogContext) {
  const { engine, store, theme, width, close, act } = context;
  /** A dialog whose request the engine refused stays open to show why; else it closes. */
  const closeUnlessRefused = (refusal: string | undefined): string | undefined => {
    if (refusal === undefined) close();
    return refusal;
  };
  switch (dialog.kind) {
    case 'ticket':
      return (
        <OrderTicket
          side={dialog.side}
          symbol={dialog.symbol}
          width={width}
          theme={theme}
          {...(dialog.replacing ? { replacing: dialog.replacing.id, defaults: dialog.replacing.fields } : dialog.defaults ? { defaults: dialog.defaults } : {})}
          // A replace ticket's own order is among the working orders the preview would count: it shows none.
          {...(dialog.replacing ? {} : { preview: (state: TicketState) => ticketPreview(state, store.getState().snapshot, engine.sellableQty(state.symbol)) })}
          confirm={context.confirmOrders}
          onSubmit={(request) => {
            const replacing = dialog.replacing;
            const refusal = !replacing
              ? context.place(request)
              : act(() => {
                  const result = engine.replaceOrder(replacing.id, replaceChanges(request));
                  if (!result.ok) return result.error;
                  store.note('info', `replaced ${replacing.id}: ${result.order.qty} ${result.order.symbol} ${result.order.status.replace('_', ' ')}`);
                  return undefined;
                });
            // Refused: the ticket stays open with the reason and the input, to correct it.
            return closeUnlessRefused(refusal);
          }}
          onCancel={close}
        />
      );
    case 'strategy':
      return (
        <StrategyPicker
          strategies={context.strategies}
          positions={store.getState().snapshot.portfolio.positions}
          active={context.active}
          width={width}
          theme={theme}
          onSubmit={(name, params) =>
            // Refused (params the strategy does not take): the dialog stays with the reason and the text, to correct them.
            closeUnlessRefused(act(() => attempt(store, () => (name === null ? engine.clearStrategy() : engine.setStrategy(name, params)), name === null ? 'strategy stopped' : `strategy ${name} running`)))
          }
          onCancel={close}
        />
      );
    case 'help':
      return <HelpOverlay width={width} theme={theme} height={context.height} screen={context.screen} />;
    case 'addSymbol':
      return (
        <TextPrompt
          label="Add symbol (AAPL, X:BTCUSD, C:EURUSD)"
          width={width}
          theme={theme}
          validate={(text) => (text.trim() === '' ? 'type a symbol' : undefined)}
          onSubmit={(text) => {
            close();
            // Checked against the provider's tickers first (Polygon's reference data): said when it answers.
            void engine.watchSymbol(text).then(
              (symbol) => act(() => store.note('info', `added ${symbol}`)),
              (error: unknown) => act(() => store.note('warn', error instanceof EngineInputError ? error.message : `could not add "${text.trim()}": ${messageOf(error)}`)),
            );
          }}
          onCancel={close}
        />
      );
    case 'alert': {
      const mark = store.getState().snapshot.quotes.find((quote) => quote.symbol === dialog.symbol)?.mark ?? null;
      return (
        <TextPrompt
          label={`Alert on ${dialog.symbol}${mark === null ? '' : ` (now ${mark})`}: a price, "fill" or "clear"`}
          width={width}
          theme={theme}
          validate={(text) => (text.trim() === '' ? 'type a price, like 190.50, or fill, or clear' : undefined)}
          onSubmit={(text) => {
            if (text.trim().toLowerCase() === 'clear') {
              close();
              return act(() => store.note('info', `alerts of ${dialog.symbol} cleared: ${clearAlerts(engine, dialog.symbol)}`));
            }
            return closeUnlessRefused(act(() => attempt(store, () => engine.addAlert(alertRequestOf(dialog.symbol, text, mark)), `alert set: ${dialog.symbol} ${describeTyped(text, mark)}`)));
          }}
          onCancel={close}
        />
      );
    }
    case 'search':
      return (
        <SymbolSearch
          engine={engine}
          width={width}
          height={context.height}
          theme={theme}
          onPick={(symbol) => {
            close();
            void engine.watchSymbol(symbol).then(
              (added) => act(() => context.openSymbol(added)),
              (error: unknown) => act(() => store.note('warn', error instanceof EngineInputError ? error.message : `could not add ${symbol}: ${messageOf(error)}`)),
            );
          }}
          onCancel={close}
        />
      );
    case 'activitySearch':
      return (
        <TextPrompt
          label="Search the activity (empty: show everything)"
          initial={dialog.query}
          width={width}
          theme={theme}
          validate={() => undefined}
          onSubmit={(text) => {
            close();
            context.searchActivity(text.trim());
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
            else if (dialog.action === 'place') context.place(dialog.request);
            else if (dialog.action === 'killSwitch') act(() => store.note('warn', `kill switch on: canceled ${engine.engageKillSwitch().canceled} orders`));
            else if (dialog.action === 'releaseKillSwitch') act(() => {
              engine.releaseKillSwitch();
              store.note('info', 'kill switch released');
            });
            else act(() => store.note('info', `canceled ${engine.cancelAllOrders()} orders`));
          }}
          onCancel={close}
        />
      );
  }
}


/** What the alert prompt's text asks for: "fill", or a price above or below the price now. */
export function alertRequestOf(symbol: string, text: string, mark: string | null): AlertRequest {
  const typed = text.trim();
  if (typed.toLowerCase() === 'fill') return { symbol, kind: 'fill' };
  const below = mark !== null && Number(typed) < Number(mark);
  return { symbol, kind: below ? 'below' : 'above', price: typed };
}

const describeTyped = (text: string, mark: string | null): string => {
  const request = alertRequestOf('', text, mark);
  return request.kind === 'fill' ? 'at each fill' : `${request.kind} ${request.price}`;
};

/** Removes every alert of `symbol`; how many there were. */
function clearAlerts(engine: Engine, symbol: string): number {
  const alerts = engine.alerts().filter((alert) => alert.symbol === symbol);
  for (const alert of alerts) engine.removeAlert(alert.id);
  return alerts.length;
}
