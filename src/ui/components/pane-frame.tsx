import { Box, Text } from 'ink';
import type { ReactNode } from 'react';
import { fit } from '../format.ts';
import type { Theme } from '../theme.ts';

export interface PaneFrameProps {
  title: string;
  /** Right-aligned on the title line (totals, counts). */
  info?: string;
  width: number;
  height: number;
  focused: boolean;
  theme: Theme;
  children: ReactNode;
}

/** A pane: one title line (inverse when focused), then exactly height − 1 lines of content. No borders: they cost lines. */
export function PaneFrame({ title, info = '', width, height, focused, theme, children }: PaneFrameProps) {
  if (height <= 0 || width <= 0) return null;
  const label = ` ${title} `;
  // One column kept free on the right, so the info never touches the pane beside it.
  const right = fit(info, Math.max(0, width - label.length - 2), 'right');
  return (
    // No overflow clipping: every pane already fits its box (tested), and Ink's clipping slices
    // every line's escapes on every frame (measured as a large share of the render cost).
    <Box flexDirection="column" width={width} height={height}>
      <Text wrap="truncate">
        <Text inverse={focused} bold color={focused ? undefined : theme.accent}>
          {label}
        </Text>
        <Text color={theme.muted}>{` ${right}`.slice(0, Math.max(0, width - label.length))}</Text>
      </Text>
      <Box flexDirection="column" height={height - 1}>
        {children}
      </Box>
    </Box>
  );
}
