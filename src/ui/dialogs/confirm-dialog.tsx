import { Box, Text } from 'ink';
import { useDialogKeys } from '../hooks/use-dialog-keys.ts';
import { useRef } from 'react';
import type { Theme } from '../theme.ts';

export interface ConfirmDialogProps {
  /** The question, e.g. "3 orders are working. Quit anyway?" */
  message: string;
  width: number;
  theme: Theme;
  onConfirm(): void;
  onCancel(): void;
  isActive?: boolean;
}

export const CONFIRM_HINTS = 'y/Enter yes · n/Esc no';
const PREFERRED_WIDTH = 60;
/** 12 lines: border 2, hints 1. */
const MAX_MESSAGE_LINES = 9;

/** A yes/no question: y or Enter confirms, n or Esc cancels; other keys are ignored. */
export function ConfirmDialog({ message, width, theme, onConfirm, onCancel, isActive = true }: ConfirmDialogProps) {
  // One answer only, even if keys arrive before the app closes the dialog.
  const answered = useRef(false);
  useDialogKeys(
    (input, key) => {
      if (answered.current) return;
      const yes = key.return || input === 'y' || input === 'Y';
      const no = key.escape || input === 'n' || input === 'N';
      if (!yes && !no) return;
      answered.current = true;
      if (yes) onConfirm();
      else onCancel();
    },
    { isActive },
  );

  const boxWidth = Math.max(20, Math.min(width, PREFERRED_WIDTH, Math.max(message.length, CONFIRM_HINTS.length) + 4));
  // Word wrap can leave each line short by up to a word: keep a margin so the message fits its lines.
  const room = Math.max(1, (boxWidth - 4 - 8) * MAX_MESSAGE_LINES);
  return (
    <Box borderStyle="round" flexDirection="column" paddingX={1} width={boxWidth}>
      <Text bold wrap="wrap" color={theme.warning}>
        {message.length > room ? `${message.slice(0, room - 1)}…` : message}
      </Text>
      <Text wrap="truncate" color={theme.muted}>
        {CONFIRM_HINTS}
      </Text>
    </Box>
  );
}
