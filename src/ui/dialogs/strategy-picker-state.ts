// The strategy picker as a pure reducer: choose a strategy from a list, then edit its params as JSON.

import type { PositionView } from '../../engine/index.ts';
import { strategySource, USER_OWNER } from '../../engine/portfolio/attribution.ts';
import { printable } from '../format.ts';

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
  /** Shown after Enter on params that don't parse; cleared by the next edit. */
  readonly error: string | undefined;
  readonly submitted: PickerChoice | undefined;
  readonly canceled: boolean;
}

export type PickerAction =
  | { type: 'move'; delta: number }
  | { type: 'input'; text: string }
  | { type: 'backspace' }
  | { type: 'submit' }
  | { type: 'cancel' };

export function initialPicker(strategies: readonly StrategyOption[], active: string | null): PickerState {
  const index = strategies.findIndex((strategy) => strategy.name === active);
  return { strategies, step: 'list', selected: Math.max(0, index), paramsText: '', error: undefined, submitted: undefined, canceled: false };
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
  if (state.submitted || state.canceled) return state;
  switch (action.type) {
    case 'move': {
      if (state.step !== 'list') return state;
      const count = pickerEntryCount(state);
      const selected = (((state.selected + action.delta) % count) + count) % count;
      return selected === state.selected ? state : { ...state, selected };
    }
    case 'input': {
      const text = printable(action.text);
      if (state.step !== 'params' || text === '') return state;
      return { ...state, paramsText: (state.paramsText + text).slice(0, MAX_PARAMS_LENGTH), error: undefined };
    }
    case 'backspace':
      if (state.step !== 'params' || state.paramsText === '') return state;
      return { ...state, paramsText: state.paramsText.slice(0, -1), error: undefined };
    case 'submit': {
      if (state.step === 'list') {
        const strategy = state.strategies[state.selected];
        if (!strategy) return { ...state, submitted: { name: null, params: {} } };
        return { ...state, step: 'params', paramsText: JSON.stringify(strategy.params), error: undefined };
      }
      const parsed = parseParams(state.paramsText);
      if (!parsed.ok) return { ...state, error: parsed.error };
      return { ...state, submitted: { name: state.strategies[state.selected]!.name, params: parsed.params } };
    }
    case 'cancel':
      return { ...state, canceled: true };
  }
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
