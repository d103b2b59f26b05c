import { Box, Text, type Key } from 'ink';
import { orderTypeText } from '../format.ts';
import { useDialogKeys } from '../hooks/use-dialog-keys.ts';
import { useLatestReducer } from '../hooks/use-latest-reducer.ts';
import { CursorText } from '../components/cursor-text.tsx';
import { clampToLines, DialogFooter } from './dialog-footer.tsx';
import type { OrderRequest, Side, TimeInForce } from '../../engine/index.ts';
import type { Theme } from '../theme.ts';
import type { TicketPreview } from './ticket-preview.ts';
import {
  draftRequest,
  initialTicket,
  isTextField,
  ticketError,
  ticketReducer,
  ticketFields,
  type TicketAction,
  type TicketField,
  type TicketFields,
  type TicketState,
  type TicketTextField,
} from './order-ticket-state.ts';
import { lineActionFor, lineParts } from './line-edit.ts';

export interface OrderTicketProps {
  side: Side;
  symbol: string;
  /** The most columns the dialog may take. */
  width: number;
  theme: Theme;
  /** Places the request; returns why the engine refused it (the ticket stays open to correct it), or nothing (it closes). */
  onSubmit(request: OrderRequest): string | undefined;
  onCancel(): void;
  /** What the engine will check, shown before Enter (ticket-preview.ts). */
  preview?: (state: TicketState) => TicketPreview | undefined;
  /** --confirm-orders: the first Enter asks, the second places. */
  confirm?: boolean | undefined;
  /** Prefilled fields, e.g. { qty: '10' }. */
  defaults?: Partial<TicketFields>;
  /** The id of the working order this ticket replaces (its type and time in force stay). */
  replacing?: string;
}

export const ORDER_TICKET_HINTS = 'Enter place · Tab next field · ←/→ change or move · Esc cancel';
const PREFERRED_WIDTH = 66;
const LABEL_WIDTH = 15;
/** At most 14 lines (DIALOG_HEIGHT): border 2, title 1, up to 7 fields, a summary or an error of up to 3, hints 1. */
const MAX_ERROR_LINES = 3;

const LABELS: Record<TicketField, string> = {
  qty: 'Qty',
  type: 'Type',
  limitPrice: 'Limit price',
  stopPrice: 'Stop price',
  trail: 'Trail',
  timeInForce: 'Time in force',
  extendedHours: 'Extended hours',
  takeProfit: 'Take profit',
  stopLoss: 'Stop loss',
};

/** What a text field takes, beside it. */
const FIELD_HINTS: Partial<Record<TicketField, (side: Side) => string>> = {
  trail: () => 'a price (0.50) or a percent (1.5%)',
  takeProfit: () => 'optional: the exit limit',
  stopLoss: (side) => (side === 'buy' ? 'optional: the exit stop' : 'optional: an oco stop'),
};

const TIF_MEANING: Record<TimeInForce, string> = {
  day: 'until the close',
  gtc: 'good till canceled',
  ioc: 'immediate or cancel',
  fok: 'fill or kill',
  opg: 'the opening auction',
  cls: 'the closing auction',
};

/** Ink key → ticket action; undefined for keys the ticket ignores. */
export function ticketActionFor(input: string, key: Key, focus: TicketField): TicketAction | undefined {
  if (key.escape) return { type: 'cancel' };
  if (key.return) return { type: 'submit' };
  if (key.tab) return { type: key.shift ? 'focusPrevious' : 'focusNext' };
  if (key.downArrow) return { type: 'focusNext' };
  if (key.upArrow) return { type: 'focusPrevious' };
  // A text field edits as a line editor (←/→ move its cursor); a choice field cycles its choices.
  if (isTextField(focus)) {
    const action = lineActionFor(input, key);
    return action ? { type: 'edit', action } : undefined;
  }
  if (key.rightArrow || input === ' ') return { type: 'cycle', direction: 1 };
  if (key.leftArrow) return { type: 'cycle', direction: -1 };
  return undefined;
}

/** A buy or sell ticket: qty, order type, the prices that type needs, time in force. */
export function OrderTicket({ side, symbol, width, theme, onSubmit, onCancel, defaults, replacing, preview, confirm }: OrderTicketProps) {
  const [state, dispatch, current] = useLatestReducer(ticketReducer, () => initialTicket(side, symbol, defaults, replacing !== undefined, confirm));

  useDialogKeys((input, key) => {
    const action = ticketActionFor(input, key, current().focus);
    if (!action) return;
    const previous = current();
    const next = dispatch(action);
    if (next.submitted && !previous.submitted) {
      const refusal = onSubmit(next.submitted);
      if (refusal !== undefined) dispatch({ type: 'refused', reason: refusal });
    }
    if (next.canceled && !previous.canceled) onCancel();
  });

  const boxWidth = Math.max(20, Math.min(width, PREFERRED_WIDTH));
  const error = ticketError(state);
  const check = error === undefined ? preview?.(state) : undefined;
  return (
    <Box borderStyle="round" flexDirection="column" paddingX={1} width={boxWidth}>
      <Text bold wrap="truncate" color={side === 'buy' ? theme.up : theme.down}>
        {`${replacing ? `Replace ${replacing}: ` : ''}${side === 'buy' ? 'Buy' : 'Sell'} ${symbol}`}
      </Text>
      {ticketFields(state).map((field) => (
        <FieldRow key={field} field={field} state={state} theme={theme} />
      ))}
      {error === undefined ? (
        <Text wrap="truncate" color={state.confirming ? theme.accent : theme.muted} bold={state.confirming}>
          {state.confirming ? `Enter again to place: ${summary(state)}` : summary(state)}
        </Text>
      ) : null}
      {check ? (
        <Text wrap="truncate" color={check.warning ? theme.down : theme.muted}>
          {check.text}
        </Text>
      ) : null}
      {error === undefined ? null : (
        <Text wrap="wrap" color={theme.down}>
          {clampToLines(error, boxWidth, MAX_ERROR_LINES)}
        </Text>
      )}
      <DialogFooter hints={ORDER_TICKET_HINTS} theme={theme} />
    </Box>
  );
}

function FieldRow({ field, state, theme }: { field: TicketField; state: TicketState; theme: Theme }) {
  const focused = state.focus === field;
  const label = `${focused ? '›' : ' '} ${LABELS[field].padEnd(LABEL_WIDTH)}`;
  if (isTextField(field)) {
    return (
      <Text wrap="truncate">
        <Text color={focused ? theme.accent : undefined}>{label}</Text>
        {focused ? <FocusedText state={state} field={field} /> : <Text>{state[field]}</Text>}
        {FIELD_HINTS[field] ? <Text color={theme.muted}>{`  ${FIELD_HINTS[field](state.side)}`}</Text> : null}
      </Text>
    );
  }
  const value = field === 'type' ? orderTypeText(state.type) : field === 'extendedHours' ? (state.extendedHours ? 'yes' : 'no') : state.timeInForce;
  const meaning = field === 'timeInForce' ? TIF_MEANING[state.timeInForce] : field === 'extendedHours' ? 'also 4:00–9:30 and 16:00–20:00 ET' : undefined;
  return (
    <Text wrap="truncate">
      <Text color={focused ? theme.accent : undefined}>{label}</Text>
      <Text inverse={focused}>{focused ? `‹ ${value} ›` : value}</Text>
      {meaning ? <Text color={theme.muted}>{`  ${meaning}`}</Text> : null}
    </Text>
  );
}

/** The focused field with its cursor cell (a space past the end, so an empty field still shows). */
function FocusedText({ state, field }: { state: TicketState; field: TicketTextField }) {
  return (
    <Text>
      <CursorText {...lineParts({ text: state[field], cursor: state.cursor })} />
    </Text>
  );
}

/** What Enter will place, e.g. "buy 10 AAPL limit 187.50, day". */
function summary(state: TicketState): string {
  const request = draftRequest(state);
  const stop = request.stopPrice === undefined ? '' : ` stop ${request.stopPrice}`;
  const limit = request.limitPrice === undefined ? '' : ` limit ${request.limitPrice}`;
  const trail = request.trailPrice !== undefined ? ` trailing ${request.trailPrice}` : request.trailPercent !== undefined ? ` trailing ${request.trailPercent}%` : '';
  const how = (state.type === 'market' ? ' at market' : `${stop}${limit}${trail}`) + (request.extendedHours ? ' (extended hours)' : '');
  const takeProfit = request.takeProfit && request.orderClass !== 'oco' ? `sell ${request.takeProfit.limitPrice}` : undefined;
  const stopLoss = request.stopLoss && `stop ${request.stopLoss.stopPrice}`;
  const linked = request.orderClass === 'oco' ? `; oco with ${stopLoss}` : request.orderClass ? `; ${request.orderClass}: ${[takeProfit, stopLoss].filter(Boolean).join(' or ')}` : '';
  return `${state.side} ${state.qty} ${state.symbol}${how}, ${state.timeInForce}${linked}`;
}
