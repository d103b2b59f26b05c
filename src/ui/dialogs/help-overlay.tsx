import { Box, Text } from 'ink';
import { fit } from '../format.ts';
import { DialogFooter } from './dialog-footer.tsx';
import { bindingsOn, type Screen } from '../keymap.ts';
import type { Theme } from '../theme.ts';

export interface HelpOverlayProps {
  width: number;
  theme: Theme;
  /** The most lines the overlay may take (default 12): it uses as many columns as that needs. */
  height?: number;
  /** The screen shown: only its keys are listed. */
  screen?: Screen;
}

export const HELP_FOOTER = 'Esc or ? closes';
const GAP = 3;
/** Border 2, title 1, footer 1. */
const CHROME_LINES = 4;

/** The key table, generated from the key map: keys and what they do. Closing is the app's job. */
export function HelpOverlay({ width, theme, height = 12, screen = 'main' }: HelpOverlayProps) {
  const bindings = bindingsOn(screen);
  const keysWidth = Math.max(0, ...bindings.map((binding) => binding.keys.length));
  const descriptionWidth = Math.max(0, ...bindings.map((binding) => binding.description.length));
  const rowsPerColumn = Math.max(1, height - CHROME_LINES);
  const columns = Math.max(1, Math.ceil(bindings.length / rowsPerColumn));
  const rows = Math.ceil(bindings.length / columns);
  const preferred = columns * (keysWidth + 2 + descriptionWidth) + (columns - 1) * GAP + 4;
  const boxWidth = Math.max(20, Math.min(width, preferred));
  const columnWidth = Math.floor((boxWidth - 4 - (columns - 1) * GAP) / columns);

  return (
    <Box borderStyle="round" flexDirection="column" paddingX={1} width={boxWidth}>
      <Text bold wrap="truncate" color={theme.accent}>
        Keys
      </Text>
      {Array.from({ length: rows }, (_, row) => (
        <Box key={row} flexDirection="row">
          {Array.from({ length: columns }, (_, column) => {
            const binding = bindings[column * rows + row];
            if (!binding) return null;
            return (
              <Box key={binding.command} width={columnWidth} marginRight={column < columns - 1 ? GAP : 0}>
                <Text wrap="truncate">
                  <Text bold color={theme.accent}>
                    {fit(binding.keys, Math.min(keysWidth, columnWidth))}
                  </Text>
                  {`  ${binding.description}`}
                </Text>
              </Box>
            );
          })}
        </Box>
      ))}
      <DialogFooter hints={HELP_FOOTER} theme={theme} />
    </Box>
  );
}
