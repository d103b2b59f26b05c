import { Text } from 'ink';
import { memo } from 'react';
import { PaneFrame } from '../components/pane-frame.tsx';
import { clockTime, fit, oneLine } from '../format.ts';
import type { LogLine } from '../store.ts';
import type { Theme } from '../theme.ts';
import type { PaneProps } from './pane-props.ts';

const levelColor = (theme: Theme, level: LogLine['level']): string | undefined =>
  level === 'error' ? theme.down : level === 'warn' || level === 'alert' ? theme.warning : level === 'fill' ? theme.accent : undefined;

/** The log's tail, oldest at the top and newest at the bottom, one line each: "HH:MM:SS text". */
export const LogPane = memo(function LogPane({ state, width, height, focused, theme }: PaneProps) {
  const body = Math.max(0, height - 1);
  const lines = body === 0 ? [] : state.log.slice(-body);
  const errors = state.log.filter((line) => line.level === 'error').length;
  return (
    <PaneFrame title="Log" info={errors > 0 ? `${errors} error${errors === 1 ? '' : 's'}` : ''} width={width} height={height} focused={focused} theme={theme}>
      {lines.map((line, index) => {
        const time = clockTime(line.time).slice(0, width);
        return (
          <Text key={index} wrap="truncate">
            <Text color={theme.muted}>{time}</Text>
            <Text color={levelColor(theme, line.level)}>{fit(` ${oneLine(line.text)}`, width - time.length).trimEnd()}</Text>
          </Text>
        );
      })}
    </PaneFrame>
  );
});
