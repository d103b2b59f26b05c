import { Box, Text } from 'ink';
import { useEffect, useMemo } from 'react';
import type { Engine } from '../../engine/index.ts';
import { clockTime, fit, oneLine } from '../format.ts';
import type { UiState } from '../store.ts';
import type { Theme } from '../theme.ts';
import { activityEntries, wrapLine, type ActivityEntry, type ActivityFilter } from './activity-entries.ts';

export interface ActivityViewProps {
  engine: Engine;
  state: UiState;
  width: number;
  height: number;
  theme: Theme;
  filter: ActivityFilter;
  query: string;
  /** Lines scrolled up from the newest (0: following the newest). */
  scroll: number;
  /** Scrolled past the oldest line (g, or a page too far): brings the scroll back to it, so j moves at once. */
  clampScroll: (max: number) => void;
}

/** Orders and fills read from the engine's history (rejected and canceled too), this many of each at most. */
export const ACTIVITY_HISTORY = 1000;
const TIME_WIDTH = 9;

const kindColor = (theme: Theme, kind: ActivityEntry['kind']): string | undefined =>
  kind === 'error' ? theme.down : kind === 'warn' || kind === 'alert' ? theme.warning : kind === 'fill' ? theme.accent : kind === 'order' ? undefined : theme.muted;

/** The lines of the whole activity at `width`: each entry whole, wrapped under its time. */
export function activityLines(entries: readonly ActivityEntry[], width: number): { text: string; kind: ActivityEntry['kind']; first: boolean }[] {
  return entries.flatMap((entry) =>
    wrapLine(`${clockTime(entry.time)} ${entry.kind.padEnd(5)} ${oneLine(entry.text)}`, width, TIME_WIDTH + 6).map((text, index) => ({ text, kind: entry.kind, first: index === 0 })),
  );
}

/**
 * Every order (rejected and canceled with their reasons), fill and log line, oldest at the top,
 * nothing cut: long lines wrap. Scrolled with j/k, PgUp/PgDn, g/G; f filters; / searches.
 */
export function ActivityView({ engine, state, width, height, theme, filter, query, scroll, clampScroll }: ActivityViewProps) {
  const { snapshot, log } = state;
  // The history is read again only when something new happened, not on every price.
  const lastOrder = snapshot.orders.reduce((latest, order) => Math.max(latest, order.updatedAt), 0);
  const historyKey = `${snapshot.orders.length} ${lastOrder} ${snapshot.fills.at(-1)?.id ?? ''}`;
  const orders = useMemo(() => engine.orderHistory({ status: 'all', limit: ACTIVITY_HISTORY }).items, [engine, historyKey]);
  const fills = useMemo(() => engine.fillHistory({ limit: ACTIVITY_HISTORY }).items, [engine, historyKey]);
  const lines = useMemo(() => activityLines(activityEntries(orders, fills, log, filter, query), width), [orders, fills, log, filter, query, width]);
  const body = Math.max(0, height - 2);
  const maxScroll = Math.max(0, lines.length - body);
  useEffect(() => {
    if (scroll > maxScroll) clampScroll(maxScroll);
  }, [scroll, maxScroll]);
  const top = Math.max(0, lines.length - body - Math.min(scroll, maxScroll));
  const shown = lines.slice(top, top + body);
  const below = lines.length - top - shown.length;
  const where = lines.length <= body ? `${lines.length} lines` : `${top > 0 ? `↑ ${top} above` : 'top'}${below > 0 ? `, ↓ ${below} below` : ', newest'} · ${lines.length} lines`;
  const title = ` Activity · ${filter}${query ? ` · "${query}"` : ''} `;
  return (
    <Box flexDirection="column" width={width} height={height}>
      <Text wrap="truncate">
        <Text bold inverse>{title}</Text>
        <Text color={theme.muted}>{fit(` ${where}`, Math.max(0, width - title.length), 'right')}</Text>
      </Text>
      <Box flexDirection="column" height={body}>
        {shown.length === 0 ? (
          <Text color={theme.muted} wrap="truncate">
            {fit(query ? `nothing matches "${query}": / then an empty search shows everything` : "nothing yet", width)}
          </Text>
        ) : (
          shown.map((line, index) => (
            <Text key={index} wrap="truncate" color={kindColor(theme, line.kind)}>
              {line.text}
            </Text>
          ))
        )}
      </Box>
      <Text color={theme.muted} wrap="truncate">
        {fit('j/k line · PgUp/PgDn page · g/G oldest/newest · f all/orders/fills/log · / search · Esc back', width)}
      </Text>
    </Box>
  );
}
