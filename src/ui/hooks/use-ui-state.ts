import { useSyncExternalStore } from 'react';
import type { UiState, UiStore } from '../store.ts';

/** The current UI state; re-renders when the store publishes a new one. */
export function useUiState(store: UiStore): UiState {
  return useSyncExternalStore(store.subscribe, store.getState);
}
