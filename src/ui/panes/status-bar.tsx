import { Box, Text } from 'ink';
import { memo } from 'react';
import type { MarketStatus } from '../../engine/index.ts';
import { clockTime, fit, oneLine } from '../format.ts';
import { keysFor, type Command } from '../keymap.ts';
import { isRegularSession } from '../../engine/market/market-hours.ts';
import type { UiState } from '../store.ts';
import type { Theme } from '../theme.ts';

export interface StatusBarProps {
  state: UiState;
  width: number;
  theme: Theme;
  /** Replaces the key hints (a dialog's keys, a transient message). */
  hint?: string;
}

interface Segment {
  text: string;
  color?: string | undefined;
}

const GAP = '  ';

const STATE_TEXT: Record<MarketStatus['state'], string> = {
  connecting: 'connecting…',
  live: 'live',
  delayed: 'delayed',
  reconnecting: 'reconnecting…',
  ended: 'ended',
  stopped: 'stopped',
  failed: 'failed',
};

/** "polygon live", "polygon reconnecting… (retry in 4s)", "simulated", "replay ended". */
export function marketText(market: MarketStatus): string {
  const state = market.source === 'polygon' || market.state !== 'live' ? ` ${STATE_TEXT[market.state]}` : '';
  // Capped so a long provider error cannot push the session and clock off the line.
  // A delayed feed says what it carries (trades, bars, end-of-day prices): orders fill by it.
  const shown = market.state === 'failed' || market.state === 'reconnecting' || market.state === 'delayed';
  const message = market.message && shown ? ` (${fit(market.message, market.state === 'delayed' ? 40 : 32).trimEnd()})` : '';
  return `${market.source}${state}${message}`;
}

function marketColor(theme: Theme, state: MarketStatus['state']): string | undefined {
  switch (state) {
    case 'live': return theme.up;
    case 'failed': return theme.down;
    case 'ended':
    case 'stopped': return theme.muted;
    default: return theme.warning;
  }
}

const HINTS: readonly [Command, string][] = [['buy', 'buy'], ['sell', 'sell'], ['strategy', 'strategy'], ['help', 'help'], ['quit', 'quit']];

/** "b buy  s sell  t strategy  ? help  q quit", from the key map (the first key of each binding). */
export const KEY_HINTS: readonly string[] = HINTS.map(([command, label]) => {
  const keys = keysFor(command) ?? '';
  return `${keys.split(' / ')[0] ?? ''} ${label}`;
});

/** The whole hints that fit in room, joined by two spaces. */
function hintsFitting(room: number): string {
  let text = '';
  for (const hint of KEY_HINTS) {
    const next = text === '' ? hint : `${text}${GAP}${hint}`;
    if (next.length > room) break;
    text = next;
  }
  return text;
}

/** Cuts segments to width, left to right (the last one kept gets the ellipsis). */
function cut(segments: readonly Segment[], width: number): Segment[] {
  const kept: Segment[] = [];
  let used = 0;
  for (const segment of segments) {
    const room = width - used;
    if (room <= 0) break;
    const text = segment.text.length > room ? fit(segment.text, room) : segment.text;
    kept.push({ ...segment, text });
    used += text.length;
  }
  return kept;
}

/**
 * "KILL SWITCH" or "HALTED (daily loss)" while orders that open positions are refused; then a
 * margin account's "MARGIN CALL" while equity is under maintenance, else its "margin 4x".
 */
function riskSegments(snapshot: UiState['snapshot'], theme: Theme): Segment[] {
  const { risk } = snapshot;
  const margin = snapshot.portfolio.margin;
  const segments: Segment[] = [];
  if (risk?.killSwitch) segments.push({ text: 'KILL SWITCH', color: theme.down }, { text: GAP });
  else if (risk?.halted) segments.push({ text: 'HALTED (daily loss)', color: theme.down }, { text: GAP });
  if (margin?.marginCall) segments.push({ text: 'MARGIN CALL', color: theme.down }, { text: GAP });
  else if (margin) segments.push({ text: `margin ${margin.multiplier}x`, color: theme.muted }, { text: GAP });
  return segments;
}

/**
 * The bottom line: market data source and state, the regular session, the strategy and the clock
 * on the left; key hints (or `hint`) on the right, cut to whole hints. Never more than width.
 */
export const StatusBar = memo(function StatusBar({ state, width, theme, hint }: StatusBarProps) {
  if (width <= 0) return null;
  // An alert that went off takes the whole line until a key is pressed: it must be read whole.
  if (state.alert) {
    return (
      <Box width={width} height={1} overflow="hidden">
        <Text wrap="truncate" inverse color={theme.warning}>
          {fit(` ${oneLine(state.alert.text)} · any key`, width)}
        </Text>
      </Box>
    );
  }
  const { snapshot } = state;
  const open = snapshot.stockMarketOpen ?? isRegularSession(snapshot.time);
  const left: Segment[] = [
    { text: marketText(snapshot.market), color: marketColor(theme, snapshot.market.state) },
    { text: GAP },
    { text: open ? 'market open' : 'market closed', color: open ? theme.up : theme.muted },
    { text: GAP },
    ...riskSegments(snapshot, theme),
    { text: snapshot.strategy ? `strategy ${snapshot.strategy.name}` : 'no strategy', color: snapshot.strategy ? theme.accent : theme.muted },
    { text: GAP },
    { text: `${clockTime(snapshot.time)} UTC` },
  ].map((segment) => ({ ...segment, text: oneLine(segment.text) }));
  const leftWidth = left.reduce((sum, segment) => sum + segment.text.length, 0);
  const room = width - leftWidth - GAP.length;
  const right = room <= 0 ? '' : hint === undefined ? hintsFitting(room) : fit(hint, room).trimEnd();
  const segments = right === '' ? cut(left, width) : [...left, { text: ' '.repeat(width - leftWidth - right.length) }, { text: right, color: theme.muted }];
  return (
    <Box width={width} height={1} overflow="hidden">
      <Text wrap="truncate">
        {segments.map((segment, index) => (
          <Text key={index} color={segment.color}>
            {segment.text}
          </Text>
        ))}
      </Text>
    </Box>
  );
});
