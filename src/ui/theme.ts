// Colours by role, not by name, so a theme (or NO_COLOR) changes them all at once.

export interface Theme {
  readonly name: 'dark' | 'light' | 'mono';
  /** Ink colour names, or undefined for the terminal's default. */
  readonly up: string | undefined;
  readonly down: string | undefined;
  readonly accent: string | undefined;
  readonly muted: string | undefined;
  readonly warning: string | undefined;
  /** Selected rows and focused titles are shown inverse in every theme, so mono still shows them. */
  readonly color: boolean;
}

export const THEMES: Readonly<Record<Theme['name'], Theme>> = {
  dark: { name: 'dark', up: 'green', down: 'red', accent: 'cyan', muted: 'gray', warning: 'yellow', color: true },
  light: { name: 'light', up: 'green', down: 'red', accent: 'blue', muted: 'gray', warning: 'magenta', color: true },
  mono: { name: 'mono', up: undefined, down: undefined, accent: undefined, muted: undefined, warning: undefined, color: false },
};

/** NO_COLOR (any value, https://no-color.org) wins over --theme. */
export function pickTheme(name: string | undefined, env: NodeJS.ProcessEnv = process.env): Theme {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return THEMES.mono;
  return THEMES[(name ?? 'dark') as Theme['name']] ?? THEMES.dark;
}

/** The colour for a signed amount: up, down, or default for zero. */
export function signColor(theme: Theme, amount: string | null): string | undefined {
  if (amount === null || /^-?0(\.0*)?$/.test(amount)) return undefined;
  return amount.startsWith('-') ? theme.down : theme.up;
}
