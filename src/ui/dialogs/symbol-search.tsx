import { Box, Text } from 'ink';
import { useEffect } from 'react';
import type { Engine, TickerMatch } from '../../engine/index.ts';
import { messageOf } from '../../engine/errors.ts';
import { fit } from '../format.ts';
import { useDialogKeys } from '../hooks/use-dialog-keys.ts';
import { useLatestReducer } from '../hooks/use-latest-reducer.ts';
import type { Theme } from '../theme.ts';
import { CursorText } from '../components/cursor-text.tsx';
import { DialogFooter } from './dialog-footer.tsx';
import { editLine, lineActionFor, lineAt, visibleParts, type Line } from './line-edit.ts';

export interface SymbolSearchProps {
  engine: Engine;
  width: number;
  /** Lines the dialog may take. */
  height: number;
  theme: Theme;
  /** The ticker chosen with Enter: the app adds it and opens its view. */
  onPick(symbol: string): void;
  onCancel(): void;
}

export const SEARCH_HINTS = '↑/↓ choose · Enter add and open · Esc cancel';
/** Typing pauses this long before the provider is asked: one request per word, not per key. */
export const SEARCH_DEBOUNCE_MS = 250;

interface SearchState {
  line: Line;
  results: readonly TickerMatch[];
  /** The results are for this text (older answers arriving late are dropped). */
  resultsFor: string;
  selected: number;
  error: string | undefined;
  done: boolean;
}

type SearchAction = { type: 'line'; line: Line } | { type: 'results'; text: string; results: readonly TickerMatch[]; error?: string } | { type: 'move'; delta: number } | { type: 'done' };

function searchReducer(state: SearchState, action: SearchAction): SearchState {
  switch (action.type) {
    case 'line':
      return { ...state, line: action.line };
    case 'results':
      return action.text === state.line.text.trim() ? { ...state, results: action.results, resultsFor: action.text, selected: 0, error: action.error } : state;
    case 'move': {
      const selected = Math.min(Math.max(0, state.selected + action.delta), Math.max(0, state.results.length - 1));
      return selected === state.selected ? state : { ...state, selected };
    }
    case 'done':
      return { ...state, done: true };
  }
}

const INITIAL: SearchState = { line: lineAt(''), results: [], resultsFor: '', selected: 0, error: undefined, done: false };

/** `/`: types a ticker or a company's name, lists the market's matches as you type; Enter picks one. */
export function SymbolSearch({ engine, width, height, theme, onPick, onCancel }: SymbolSearchProps) {
  const [state, dispatch, latest] = useLatestReducer(searchReducer, INITIAL);
  const text = state.line.text.trim();

  useEffect(() => {
    if (text === '') return void dispatch({ type: 'results', text, results: [] });
    const timer = setTimeout(() => {
      engine.searchSymbols(text, 20).then(
        (results) => dispatch({ type: 'results', text, results }),
        (error: unknown) => dispatch({ type: 'results', text, results: [], error: `search failed: ${messageOf(error)}` }),
      );
    }, SEARCH_DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [engine, text]);

  useDialogKeys((input, key) => {
    const current = latest();
    if (current.done) return;
    if (key.escape) {
      dispatch({ type: 'done' });
      return onCancel();
    }
    if (key.upArrow || key.downArrow) return void dispatch({ type: 'move', delta: key.upArrow ? -1 : 1 });
    if (key.return) {
      const picked = current.results[current.selected]?.symbol;
      if (!picked) return;
      dispatch({ type: 'done' });
      return onPick(picked);
    }
    const action = lineActionFor(input, key);
    if (!action) return;
    const line = editLine(current.line, action, 40);
    if (line !== current.line) dispatch({ type: 'line', line });
  });

  const boxWidth = Math.max(24, Math.min(width, 64));
  const inner = boxWidth - 4;
  // Border 2, label, field, footer: the rest lists matches.
  const listLines = Math.max(1, height - 6 - (state.error ? 1 : 0));
  const first = Math.max(0, state.selected - listLines + 1);
  const shown = state.results.slice(first, first + listLines);
  const { before, at, after } = visibleParts(state.line, Math.max(1, inner));
  const status = text === '' ? 'type a ticker or a name' : state.resultsFor !== text ? 'searching…' : state.results.length === 0 ? `no ticker matches "${text}"` : '';
  return (
    <Box borderStyle="round" flexDirection="column" paddingX={1} width={boxWidth}>
      <Text bold wrap="truncate" color={theme.accent}>
        Search symbols
      </Text>
      <Text wrap="truncate">
        <CursorText before={before} at={at} after={after} />
      </Text>
      {status ? (
        <Text color={theme.muted} wrap="truncate">
          {fit(status, inner)}
        </Text>
      ) : (
        shown.map((match, index) => (
          <Text key={match.symbol} inverse={first + index === state.selected} wrap="truncate">
            {fit(`${match.symbol.padEnd(10)} ${match.name}`, inner)}
          </Text>
        ))
      )}
      <DialogFooter error={state.error} hints={SEARCH_HINTS} theme={theme} />
    </Box>
  );
}
