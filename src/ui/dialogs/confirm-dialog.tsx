import { Box, Text } from 'ink';
import { useDialogKeys } from '../hooks/use-dialog-keys.ts';
import { clampToLines, DialogFooter } from './dialog-footer.tsx';
import { useRef } from 'react';
import type { Theme } from '../theme.ts';

export interface ConfirmDialogProps {
  /** The question, e.g. "3 orders are working. Quit anyway?" */
  message: string;
  width: number;
  theme: Theme;
  onConfirm(): void;
  onCancel(): void;
}

export const CONFIRM_HINTS = 'y/Enter yes · n/Esc no';
const PREFERRED_WIDTH = 60;
/** 12 lines: border 2, hints 1. */
const MAX_MESSAGE_LINES = 9;

/** A yes/no question: y or Enter confirms, n or Esc cancels; other keys are ignored. */
export function ConfirmDialog({ message, width, theme, onConfirm, onCancel }: ConfirmDialogProps) {
  // One answer only, even if keys arrive before the app closes the dialog.
  const answered = useRef(false);
  useDialogKeys((input, key) => {
    if (answered.current) return;
    const yes = key.return || input === 'y' || input === 'Y';
    const no = key.escape || input === 'n' || input === 'N';
    if (!yes && !no) return;
    answered.current = true;
    if (yes) onConfirm();
    else onCancel();
  });

  const boxWidth = Math.max(20, Math.min(width, PREFERRED_WIDTH, Math.max(message.length, CONFIRM_HINTS.length) + 4));
  return (
    <Box borderStyle="round" flexDirection="column" paddingX={1} width={boxWidth}>
      <Text bold wrap="wrap" color={theme.warning}>
        {clampToLines(message, boxWidth, MAX_MESSAGE_LINES)}
      </Text>
      <DialogFooter hints={CONFIRM_HINTS} theme={theme} />
    </Box>
  );
}
