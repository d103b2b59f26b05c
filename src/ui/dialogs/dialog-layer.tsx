import { Box, Text } from 'ink';
import type { ReactNode } from 'react';
import { EngineInputError, type Engine, type OrderRequest } from '../../engine/index.ts';
import { messageOf } from '../../engine/errors.ts';
import type { Dialog } from '../app-state.ts';
import type { StrategyChoice } from '../app.tsx';
import { attempt } from '../hooks/use-commands.ts';
import type { UiStore } from '../store.ts';
import type { Theme } from '../theme.ts';
import { ConfirmDialog } from './confirm-dialog.tsx';
import { HelpOverlay } from './help-overlay.tsx';
import { OrderTicket } from './order-ticket.tsx';
import { replaceChanges } from './order-ticket-state.ts';
import { ticketPreview } from './ticket-preview.ts';
import { StrategyPicker } from './strategy-picker.tsx';
import { TextPrompt } from './text-prompt.tsx';

/** Lines of the band a dialog sits in (the help gets more). */
export const DIALOG_HEIGHT = 14;
export const HELP_HEIGHT = 20;

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
  act: (work: () => void) => void;
  onQuit: () => void;
  /** --confirm-orders: a ticket asks before it places. */
  confirmOrders?: boolean;
}

export function renderDialog(dialog: Dialog, context: DialogContext) {
  const { engine, store, theme, width, close, act } = context;
  switch (dialog.kind) {
    case 'ticket':
      return (
        <OrderTicket
          side={dialog.side}
          symbol={dialog.symbol}
          width={width}
          theme={theme}
          {...(dialog.replacing ? { replacing: dialog.replacing.id, defaults: dialog.replacing.fields } : {})}
          preview={(state) => ticketPreview(state, store.getState().snapshot)}
          confirm={context.confirmOrders === true}
          onSubmit={(request) => {
            const replacing = dialog.replacing;
            let refusal: string | undefined;
            if (!replacing) refusal = context.place(request);
            else {
              act(() => {
                const result = engine.replaceOrder(replacing.id, replaceChanges(request));
                if (result.ok) store.note('info', `replaced ${replacing.id}: ${result.order.qty} ${result.order.symbol} ${result.order.status.replace('_', ' ')}`);
                else refusal = result.error;
              });
            }
            // Refused: the ticket stays open with the reason and the input, to correct it.
            if (refusal === undefined) close();
            return refusal;
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
          onSubmit={(name, params) => {
            let refusal: string | undefined;
            act(() => {
              refusal = attempt(store, () => (name === null ? engine.clearStrategy() : engine.setStrategy(name, params)), name === null ? 'strategy stopped' : `strategy ${name} running`);
            });
            // Refused (params the strategy does not take): the dialog stays with the reason and the text, to correct them.
            if (refusal === undefined) close();
            return refusal;
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
            // Checked against the provider's tickers first (Polygon's reference data): said when it answers.
            void engine.watchSymbol(text).then(
              (symbol) => act(() => store.note('info', `added ${symbol}`)),
              (error: unknown) => act(() => store.note('warn', error instanceof EngineInputError ? error.message : `could not add "${text.trim()}": ${messageOf(error)}`)),
            );
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

