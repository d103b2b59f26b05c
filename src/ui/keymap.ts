// Keys are data: one table feeds the key matcher, the help overlay and the README's key table.

export type Command =
  | 'up'
  | 'down'
  | 'nextPane'
  | 'buy'
  | 'sell'
  | 'quickBuy'
  | 'quickSell'
  | 'replaceOrder'
  | 'cancelOrder'
  | 'cancelAll'
  | 'killSwitch'
  | 'strategy'
  | 'addSymbol'
  | 'removeSymbol'
  | 'open'
  | 'sort'
  | 'back'
  | 'nextRange'
  | 'alert'
  | 'search'
  | 'activity'
  | 'performance'
  | 'filter'
  | 'pageUp'
  | 'pageDown'
  | 'top'
  | 'bottom'
  | 'help'
  | 'quit';

/** What a key press looks like to us: Ink's input string plus the named keys we use. */
export interface KeyPress {
  input: string;
  upArrow?: boolean;
  downArrow?: boolean;
  tab?: boolean;
  escape?: boolean;
  return?: boolean;
  ctrl?: boolean;
  shift?: boolean;
  pageUp?: boolean;
  pageDown?: boolean;
}

/** Where a key works: the main screen's panes, or a full-screen view. */
export type Screen = 'main' | 'symbol' | 'activity' | 'performance';

export interface Binding {
  command: Command;
  /** The screens it works on (the help lists only those of the screen shown); absent: all. */
  screens?: readonly Screen[];
  /** Shown in help and the README: "b", "↑/k", "Tab". */
  keys: string;
  description: string;
  matches(key: KeyPress): boolean;
}

const char = (c: string) => (key: KeyPress) => key.input === c && !key.ctrl;

export const KEY_MAP: readonly Binding[] = [
  { command: 'up', screens: ['main', 'activity'], keys: '↑ / k', description: 'move the selection up', matches: (k) => Boolean(k.upArrow) || char('k')(k) },
  { command: 'down', screens: ['main', 'activity'], keys: '↓ / j', description: 'move the selection down', matches: (k) => Boolean(k.downArrow) || char('j')(k) },
  { command: 'nextPane', screens: ['main'], keys: 'Tab', description: 'focus the next pane', matches: (k) => Boolean(k.tab) },
  { command: 'buy', keys: 'b', description: 'buy the selected symbol: open an order ticket', matches: char('b') },
  { command: 'sell', keys: 's', description: 'sell the selected symbol: open an order ticket', matches: char('s') },
  { command: 'quickBuy', keys: 'B', description: 'quick market buy of the default size', matches: char('B') },
  { command: 'quickSell', keys: 'S', description: 'quick market sell of the default size', matches: char('S') },
  { command: 'replaceOrder', screens: ['main'], keys: 'e', description: 'replace the order selected in Orders: qty, prices, trail', matches: char('e') },
  { command: 'cancelOrder', screens: ['main'], keys: 'x', description: 'cancel the order selected in Orders', matches: char('x') },
  { command: 'cancelAll', keys: 'X', description: 'cancel all working orders (asks first)', matches: char('X') },
  { command: 'killSwitch', keys: 'K', description: 'kill switch on/off: cancel all, stop the strategy (asks first)', matches: char('K') },
  { command: 'strategy', keys: 't', description: 'pick the strategy and its params (switches live)', matches: char('t') },
  { command: 'addSymbol', keys: 'a', description: 'add a symbol to the watchlist', matches: char('a') },
  { command: 'removeSymbol', screens: ['main'], keys: 'd', description: 'remove the selected symbol from the watchlist', matches: char('d') },
  { command: 'sort', screens: ['main'], keys: 'o', description: 'sort Quotes or Positions by their next column (a click on a header too)', matches: char('o') },
  { command: 'open', screens: ['main'], keys: 'Enter', description: "the symbol's view: candles, quote, position, orders, fills, alerts", matches: (k) => Boolean(k.return) },
  { command: 'back', keys: 'Esc', description: 'back to the main screen from a view', matches: (k) => Boolean(k.escape) },
  { command: 'nextRange', screens: ['symbol'], keys: 'r', description: "symbol view: the chart's next range, 1D, 5D, 1M", matches: char('r') },
  { command: 'alert', keys: 'A', description: 'alert: when the symbol reaches a price, or at each of its fills', matches: char('A') },
  { command: 'search', keys: '/', description: "search the market's tickers (in the activity view: its lines)", matches: char('/') },
  { command: 'activity', keys: 'l', description: 'activity: every order, fill and log line in full, searchable', matches: char('l') },
  { command: 'performance', keys: 'p', description: 'performance: equity, drawdown, metrics, per strategy and symbol', matches: char('p') },
  { command: 'filter', screens: ['activity'], keys: 'f', description: 'activity view: show all, orders, fills or the log', matches: char('f') },
  { command: 'pageUp', screens: ['activity'], keys: 'PgUp', description: 'activity view: a page back', matches: (k) => Boolean(k.pageUp) },
  { command: 'pageDown', screens: ['activity'], keys: 'PgDn', description: 'activity view: a page on', matches: (k) => Boolean(k.pageDown) },
  { command: 'top', screens: ['activity'], keys: 'g', description: 'activity view: to the oldest line', matches: char('g') },
  { command: 'bottom', screens: ['activity'], keys: 'G', description: 'activity view: to the newest line', matches: char('G') },
  { command: 'help', keys: '?', description: 'show or hide this help', matches: char('?') },
  { command: 'quit', keys: 'q / Ctrl-C', description: 'quit (without an account, asks first when orders are working)', matches: (k) => char('q')(k) || (Boolean(k.ctrl) && k.input === 'c') },
];

/** The bindings that work on `screen`, for its help. */
export const bindingsOn = (screen: Screen): Binding[] => KEY_MAP.filter((binding) => binding.screens === undefined || binding.screens.includes(screen));

/** Where a command works; undefined when it works everywhere. */
export const screensOf = (command: Command): readonly Screen[] | undefined => KEY_MAP.find((binding) => binding.command === command)?.screens;

/** The keys shown for a command, e.g. "q / Ctrl-C". */
export function keysFor(command: Command): string | undefined {
  return KEY_MAP.find((binding) => binding.command === command)?.keys;
}

export function commandFor(key: KeyPress): Command | undefined {
  return KEY_MAP.find((binding) => binding.matches(key))?.command;
}

/** The key table as Markdown, for the README. */
export function keyTableMarkdown(): string {
  const rows = KEY_MAP.map((binding) => `| \`${binding.keys}\` | ${binding.description} |`);
  return ['| key | what it does |', '| --- | --- |', ...rows].join('\n');
}
