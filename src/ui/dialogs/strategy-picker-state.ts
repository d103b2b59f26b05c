// The strategy picker as a pure reducer: choose a strategy from a list, then edit its params as JSON.

import type { PositionView } from '../../engine/index.ts';
import { strategySource, USER_OWNER } from '../../engine/portfolio/attribution.ts';
import { editLine, type LineAction } from './line-edit.ts';

export interface StrategyOption {
  name: string;
  description: string;
  /** The params to start from: the running strategy's current ones, or the defaults. */
  params: Record<string, unknown>;
}

export const PARAMS_JSON_ERROR = 'params must be JSON, e.g. {"shortWindow": 10}';
export const PARAMS_OBJECT_ERROR = 'params must be a JSON object, e.g. {"shortWindow": 10}';
/** Label of the last entry, which stops the running strategy. */
export const NO_STRATEGY_LABEL = 'none (stop the strategy)';

const MAX_PARAMS_LENGTH = 2000;

export interface PickerChoice {
  /** null stops the strategy. */
  name: string | null;
  params: Record<string, unknown>;
}

export interface PickerState {
  readonly strategies: readonly StrategyOption[];
  readonly step: 'list' | 'params';
  /** Index into the strategies; strategies.length is the "none" entry. */
  readonly selected: number;
  readonly paramsText: string;
  /** Where typing goes in the params (line-edit.ts). */
  readonly cursor: number;
  /** Shown after Enter on params that don't parse, or that the strategy refuses; cleared by the next edit. */
  readonly error: string | undefined;
  readonly submitted: PickerChoice | undefined;
  readonly canceled: boolean;
}

export type PickerAction =
  | { type: 'move'; delta: number }
  /** An edit of the params: typed or pasted text, Backspace, the cursor moved, a word deleted… */
  | { type: 'edit'; action: LineAction }
  | { type: 'submit' }
  /** The engine refused the submitted params (the strategy's own check): the dialog stays, the text kept, to correct it. */
  | { type: 'refused'; reason: string }
  | { type: 'cancel' };

export function initialPicker(strategies: readonly StrategyOption[], active: string | null): PickerState {
  const index = strategies.findIndex((strategy) => strategy.name === active);
  return { strategies, step: 'list', selected: Math.max(0, index), paramsText: '', cursor: 0, error: undefined, submitted: undefined, canceled: false };
}

/** Rows of the list step: every strategy, then "none". */
export const pickerEntryCount = (state: PickerState): number => state.strategies.length + 1;

/** Params text → a params object, or the one-line message to show. */
export function parseParams(text: string): { ok: true; params: Record<string, unknown> } | { ok: false; error: string } {
  let value: unknown;
  try {
    value = JSON.parse(text.trim() === '' ? '{}' : text);
  } catch {
    return { ok: false, error: PARAMS_JSON_ERROR };
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return { ok: false, error: PARAMS_OBJECT_ERROR };
  return { ok: true, params: value as Record<string, unknown> };
}

export function pickerReducer(state: PickerState, action: PickerAction): PickerState {
  if (action.type === 'refused') return state.submitted && state.step === 'params' ? { ...state, submitted: undefined, error: action.reason } : state;
  if (state.submitted || state.canceled) return state;
  switch (action.type) {
    case 'move': {
      if (state.step !== 'list') return state;
      const count = pickerEntryCount(state);
      const selected = (((state.selected + action.delta) % count) + count) % count;
      return selected === state.selected ? state : { ...state, selected };
    }
    case 'edit':
      return edit(state, action.action);
    case 'submit': {
      if (state.step === 'list') {
        const strategy = state.strategies[state.selected];
        if (!strategy) return { ...state, submitted: { name: null, params: {} } };
        const paramsText = JSON.stringify(strategy.params);
        return { ...state, step: 'params', paramsText, cursor: paramsText.length, error: undefined };
      }
      const parsed = parseParams(state.paramsText);
      if (!parsed.ok) return { ...state, error: parsed.error };
      return { ...state, submitted: { name: state.strategies[state.selected]!.name, params: parsed.params } };
    }
    case 'cancel':
      return { ...state, canceled: true };
  }
}

/** The params edited at the cursor; the list step takes no text. */
function edit(state: PickerState, action: LineAction): PickerState {
  if (state.step !== 'params') return state;
  const line = editLine({ text: state.paramsText, cursor: state.cursor }, action, MAX_PARAMS_LENGTH);
  if (line.text === state.paramsText) return line.cursor === state.cursor ? state : { ...state, cursor: line.cursor };
  return { ...state, paramsText: line.text, cursor: line.cursor, error: undefined };
}

/**
 * What a strategy will trade, said before it starts: only what it buys (and what it already holds
 * from an earlier run); the trader's positions stay the trader's.
 */
export function managesText(name: string, positions: readonly PositionView[]): string {
  const lotsOf = (match: (owner: string) => boolean): string[] =>
    positions.flatMap((position) => position.attribution.filter((lot) => match(lot.owner)).map((lot) => `${lot.qty} ${position.symbol}`));
  const own = lotsOf((owner) => owner === strategySource(name));
  const yours = lotsOf((owner) => owner === USER_OWNER);
  const holds = own.length > 0 ? ` (it holds ${own.join(', ')})` : '';
  return `Trades only what it buys${holds}${yours.length > 0 ? `; your ${yours.join(', ')} stay yours` : ''}.`;
}
