import type { SortState } from '../sorting.ts';
import type { UiState } from '../store.ts';
import type { Theme } from '../theme.ts';

/** What every pane gets: the state to show, its box, and whether it has the keys. */
export interface PaneProps {
  state: UiState;
  width: number;
  /** Outer height, title line included. */
  height: number;
  focused: boolean;
  /** Selected row in this pane (its own rows' order), or -1. */
  selected: number;
  /** The column its rows are sorted by (quotes, positions), if any. */
  sort?: SortState | undefined;
  theme: Theme;
}
