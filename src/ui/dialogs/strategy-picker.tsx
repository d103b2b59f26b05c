import { Box, Text, type Key } from 'ink';
import { useDialogKeys } from '../hooks/use-dialog-keys.ts';
import { useLatestReducer } from '../hooks/use-latest-reducer.ts';
import { CursorText } from '../components/cursor-text.tsx';
import { clampToLines, DialogFooter } from './dialog-footer.tsx';
import { fit } from '../format.ts';
import type { Theme } from '../theme.ts';
import type { PositionView } from '../../engine/index.ts';
import { lineActionFor } from './line-edit.ts';
import { initialPicker, managesText, NO_STRATEGY_LABEL, pickerEntryCount, pickerReducer, type PickerAction, type PickerState, type StrategyOption } from './strategy-picker-state.ts';

export interface StrategyPickerProps {
  strategies: readonly StrategyOption[];
  /** The positions now, to say what the chosen strategy will and will not trade. */
  positions: readonly PositionView[];
  /** Name of the running strategy, or null. */
  active: string | null;
  width: number;
  theme: Theme;
  /** name null: stop the strategy (params is then {}). Returns why the engine refused the params (the dialog stays to correct them), or nothing (it closes). */
  onSubmit(name: string | null, params: Record<string, unknown>): string | undefined;
  onCancel(): void;
}

export const PICKER_LIST_HINTS = '↑/↓ choose · Enter params · Esc cancel';
export const PICKER_PARAMS_HINTS = 'Enter start · ←/→ move · Esc cancel';
const PREFERRED_WIDTH = 72;
/** 12 lines: border 2, title 1, hints 1. */
const MAX_LIST_ROWS = 8;
/** 12 lines: border 2, title 1, description 1, what it manages 2, error 1, hints 1. */
const MAX_PARAM_LINES = 4;
const MAX_MANAGES_LINES = 2;

const chunk = (text: string, size: number): string[] => Array.from({ length: Math.ceil(text.length / size) }, (_, i) => text.slice(i * size, (i + 1) * size));

/** Ink key → picker action; undefined for keys the picker ignores. */
export function pickerActionFor(input: string, key: Key, step: PickerState['step']): PickerAction | undefined {
  if (key.escape) return { type: 'cancel' };
  if (key.return) return { type: 'submit' };
  if (key.upArrow) return { type: 'move', delta: -1 };
  if (key.downArrow) return { type: 'move', delta: 1 };
  if (step === 'list') {
    if (key.ctrl || key.meta) return undefined;
    if (input === 'k') return { type: 'move', delta: -1 };
    if (input === 'j') return { type: 'move', delta: 1 };
    return undefined;
  }
  const action = lineActionFor(input, key);
  return action ? { type: 'edit', action } : undefined;
}

/** Picks the strategy to run (or none), then its params as one line of JSON. */
export function StrategyPicker({ strategies, positions, active, width, theme, onSubmit, onCancel }: StrategyPickerProps) {
  const [state, dispatch, current] = useLatestReducer(pickerReducer, () => initialPicker(strategies, active));

  useDialogKeys((input, key) => {
    const action = pickerActionFor(input, key, current().step);
    if (!action) return;
    const previous = current();
    const next = dispatch(action);
    if (next.submitted && !previous.submitted) {
      const refusal = onSubmit(next.submitted.name, next.submitted.params);
      if (refusal !== undefined) dispatch({ type: 'refused', reason: refusal });
    }
    if (next.canceled && !previous.canceled) onCancel();
  });

  const boxWidth = Math.max(24, Math.min(width, PREFERRED_WIDTH));
  const inner = boxWidth - 4;
  return (
    <Box borderStyle="round" flexDirection="column" paddingX={1} width={boxWidth}>
      {state.step === 'list' ? <ListStep state={state} active={active} inner={inner} theme={theme} /> : <ParamsStep state={state} positions={positions} inner={inner} theme={theme} />}
    </Box>
  );
}

function ListStep({ state, active, inner, theme }: { state: PickerState; active: string | null; inner: number; theme: Theme }) {
  const names = state.strategies.map((strategy) => strategy.name);
  const nameWidth = Math.min(24, Math.max(0, ...names.map((name) => name.length)));
  const count = pickerEntryCount(state);
  const first = Math.max(0, Math.min(state.selected - MAX_LIST_ROWS + 1, count - MAX_LIST_ROWS));
  const rows = Array.from({ length: Math.min(count, MAX_LIST_ROWS) }, (_, offset) => first + offset);
  return (
    <>
      <Text bold wrap="truncate" color={theme.accent}>
        {`Strategy${active ? ` (running: ${active})` : ' (none running)'}`}
      </Text>
      {rows.map((index) => {
        const strategy = state.strategies[index];
        const selected = index === state.selected;
        const marker = selected ? '› ' : '  ';
        if (!strategy) {
          return (
            <Text key="none" wrap="truncate" inverse={selected}>
              {fit(`${marker}${NO_STRATEGY_LABEL}`, inner)}
            </Text>
          );
        }
        const running = strategy.name === active ? '● ' : '  ';
        const head = `${marker}${fit(strategy.name, nameWidth)} ${running}`;
        return (
          <Text key={strategy.name} wrap="truncate">
            <Text inverse={selected}>{head}</Text>
            <Text color={theme.muted}>{fit(strategy.description, Math.max(0, inner - head.length))}</Text>
          </Text>
        );
      })}
      <DialogFooter hints={PICKER_LIST_HINTS} theme={theme} />
    </>
  );
}

function ParamsStep({ state, positions, inner, theme }: { state: PickerState; positions: readonly PositionView[]; inner: number; theme: Theme }) {
  const strategy = state.strategies[state.selected]!;
  const manages = clampToLines(managesText(strategy.name, positions), inner + 4, MAX_MANAGES_LINES);
  // One logical line, hard-wrapped so every param shows; past MAX_PARAM_LINES, the lines around the cursor.
  const size = Math.max(1, inner);
  const chunks = chunk(`${state.paramsText} `, size);
  const cursorLine = Math.floor(state.cursor / size);
  const first = Math.max(0, Math.min(cursorLine - MAX_PARAM_LINES + 1, chunks.length - MAX_PARAM_LINES));
  const shown = chunks.slice(first, first + MAX_PARAM_LINES);
  return (
    <>
      <Text bold wrap="truncate" color={theme.accent}>{`${strategy.name} params (JSON)`}</Text>
      <Text wrap="truncate" color={theme.muted}>
        {strategy.description}
      </Text>
      <Text wrap="wrap">{manages}</Text>
      {shown.map((line, index) => {
        const at = first + index === cursorLine ? state.cursor - cursorLine * size : -1;
        return at < 0 ? (
          <Text key={index} wrap="truncate">
            {line}
          </Text>
        ) : (
          <Text key={index} wrap="truncate">
            <CursorText before={line.slice(0, at)} at={line[at] ?? ' '} after={line.slice(at + 1)} />
          </Text>
        );
      })}
      <DialogFooter error={state.error} hints={PICKER_PARAMS_HINTS} theme={theme} />
    </>
  );
}
