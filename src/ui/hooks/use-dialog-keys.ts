import { useInput, type Key } from 'ink';
import { createContext, useContext } from 'react';

export type KeyHandler = (input: string, key: Key) => void;

/** Where the app routes keys while a dialog is open: the dialog's handler, set as it renders. */
export interface DialogKeyRoute {
  current: KeyHandler | undefined;
}

export const DialogKeyRouteContext = createContext<DialogKeyRoute | undefined>(undefined);

/**
 * A dialog's key handler. Inside the app the app routes keys to it, so a key typed right after
 * the dialog opens (before its first render) is queued, not lost; alone (in tests) it listens
 * to Ink itself.
 */
export function useDialogKeys(handler: KeyHandler): void {
  const route = useContext(DialogKeyRouteContext);
  useInput(handler, { isActive: route === undefined });
  if (route) route.current = handler;
}
