import { Box, Text } from 'ink';
import { useDialogKeys } from '../hooks/use-dialog-keys.ts';
import { DialogFooter } from './dialog-footer.tsx';
import { printable } from '../format.ts';
import { useLatestReducer } from '../hooks/use-latest-reducer.ts';
import type { Theme } from '../theme.ts';

export interface TextPromptProps {
  label: string;
  width: number;
  theme: Theme;
  /** A one-line message when the text can't be submitted, else undefined. */
  validate(text: string): string | undefined;
  onSubmit(text: string): void;
  onCancel(): void;
}

export const TEXT_PROMPT_HINTS = 'Enter ok · Esc cancel';
const PREFERRED_WIDTH = 60;
const MAX_LENGTH = 200;

interface PromptState {
  text: string;
  /** Shown once Enter was refused, then kept current as the text changes. */
  error: string | undefined;
  tried: boolean;
  done: boolean;
}

const INITIAL_STATE: PromptState = { text: '', error: undefined, tried: false, done: false };
/** Every key leaves a whole new state. */
const replace = (_: PromptState, next: PromptState): PromptState => next;

/** One line of text: typing and Backspace edit, Enter submits when validate accepts it, Esc cancels. */
export function TextPrompt({ label, width, theme, validate, onSubmit, onCancel }: TextPromptProps) {
  // Key events can arrive faster than renders: edit the latest text, not the render's closure.
  const [state, update, latest] = useLatestReducer(replace, INITIAL_STATE);

  useDialogKeys((input, key) => {
    const current = latest();
    if (current.done) return;
    if (key.escape) {
      update({ ...current, done: true });
      onCancel();
      return;
    }
    if (key.return) {
      const error = validate(current.text);
      if (error !== undefined) return update({ ...current, error, tried: true });
      update({ ...current, error: undefined, done: true });
      onSubmit(current.text);
      return;
    }
    let text = current.text;
    // Most terminals send DEL (0x7f) for Backspace, which Ink 6 reports as `delete`.
    if (key.backspace || key.delete) text = text.slice(0, -1);
    else if (!key.ctrl && !key.meta && !key.tab) text = (text + printable(input)).slice(0, MAX_LENGTH);
    if (text === current.text) return;
    update({ ...current, text, error: current.tried ? validate(text) : undefined });
  });

  const boxWidth = Math.max(20, Math.min(width, PREFERRED_WIDTH));
  const room = Math.max(1, boxWidth - 5);
  const shown = state.text.length > room ? `…${state.text.slice(-(room - 1))}` : state.text;
  return (
    <Box borderStyle="round" flexDirection="column" paddingX={1} width={boxWidth}>
      <Text bold wrap="truncate" color={theme.accent}>
        {label}
      </Text>
      <Text wrap="truncate">
        {shown}
        <Text inverse> </Text>
      </Text>
      <DialogFooter error={state.error} hints={TEXT_PROMPT_HINTS} theme={theme} />
    </Box>
  );
}
