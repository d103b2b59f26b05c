// The paper-trader command: parses flags, builds the engine and runs it until done or interrupted.
import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { DATA_DIR_HELP, dataDir } from '../src/cli/data-dir.ts';
import { LOG_LEVELS, type LogLevel, openLogFiles } from '../src/cli/log-files.ts';
import { planFromOptions, type RawOptions } from '../src/cli/options.ts';
import { loadPolygonSettings } from '../src/cli/polygon-settings.ts';
import { loadRiskDefaults } from '../src/cli/risk-settings.ts';
import { paceReplay } from '../src/cli/replay-pacer.ts';
import { logRun } from '../src/cli/run-log.ts';
import { fillLine, logLine, statusLine, statusRecord, summary } from '../src/cli/report.ts';
import { loadStrategyFile } from '../src/cli/strategy-file.ts';
import { loadStrategyFolders, strategyFolders, strategyList } from '../src/cli/strategy-folder.ts';
import { watchStrategyFiles } from '../src/cli/strategy-watcher.ts';
import { withRunDefaults } from '../src/cli/run-settings.ts';
import { readConfig } from '../src/cli/config-store.ts';
import { registerConfig } from '../src/cli/commands/config.ts';
import { registerApiKeys } from '../src/cli/commands/api-keys.ts';
import { DEFAULT_ACCOUNT, registerAccounts } from '../src/cli/commands/accounts.ts';
import { API_TOKEN_ENV, API_TOKEN_FILE, apiRequested, DEFAULT_API_PORT, startApiFromFlags, type ApiFlags } from '../src/cli/api-flags.ts';
import { registerHistory } from '../src/cli/commands/history.ts';
import { CommandError } from '../src/cli/commands/polygon.ts';
import { registerQuote } from '../src/cli/commands/quote.ts';
import { registerRecord } from '../src/cli/commands/record.ts';
import { registerStrategy } from '../src/cli/commands/strategy.ts';
import { registerReport } from '../src/cli/commands/report.ts';
import { registerBacktest } from '../src/cli/commands/backtest.ts';
import { registerSweep } from '../src/cli/commands/sweep.ts';
import { registerWorker } from '../src/cli/commands/worker.ts';
// The error classes only: the REST client (client-js) loads when a command needs Polygon.
import { PolygonDataError, PolygonError } from '../src/engine/market/polygon-schema.ts';
import { createEngine, type Engine, EngineInputError } from '../src/engine/index.ts';
import { escapeControls } from '../src/engine/printable.ts';
import { closestMatch } from '../src/engine/closest-match.ts';
import { usd } from '../src/ui/format.ts';
import { pickTheme } from '../src/ui/theme.ts';
import { terminalKind } from '../src/ui/glyphs.ts';
import { builtInStrategies, strategyChoices } from '../strategies/index.ts';

// React's development build costs the UI about a sixth more CPU; React is imported (with the UI)
// only after this line runs.
process.env.NODE_ENV ??= 'production';

const program = new Command()
  .name('paper-trader')
  .description('Paper trade US stocks, crypto and forex on a simulated, replayed or live market.')
  .option('--symbols <symbols...>', 'watchlist: AAPL MSFT X:BTCUSD C:EURUSD (default: a few well-known ones)')
  .option('--strategy <name|file>', 'strategy to run: a name (see --list-strategies: built in, or from a strategies folder) or a .ts file of your own')
  .option('--strategies-dir <dir>', "a folder of your strategy files, registered by name (besides the data directory's strategies/)")
  .option('--params <json>', `strategy params as JSON, e.g. '{"shortWindow": 10, "longWindow": 30}'`)
  .option('--cash <dollars>', 'starting cash of a new account (default 100000, or the config\'s cash)')
  .option('--market <kind>', 'market data: polygon, simulated or replay (default: polygon when a Polygon API key is set, else simulated; replay with --replay)')
  .option('--replay <file>', 'replay a recorded session (JSONL of Polygon WebSocket events) to the end')
  .option('--speed <n>', 'play the --replay at n times its recorded pace, on the screen, to watch it and trade along (1 = as recorded)')
  .option('--seed <n>', 'seed of the simulated market (same seed, same market)')
  .option('--fast', 'simulate a whole session at full speed on a manual clock, then report')
  .option('--duration <time>', 'length of a --fast session: 90s, 30m, 6.5h, 2d (default 6.5h)')
  .option('--fees <spec>', 'zero, per-share:0.005,min:1 or percent:0.1 (default zero)')
  .option('--slippage-bps <bps>', 'slippage on market fills in basis points (default 0)')
  .option('--max-quote-age <ms>', 'quotes older than this are stale; market orders wait (default 10000)')
  .option('--max-position-value <dollars>', "risk limit, saved with the account: the most a symbol's position may be worth ('off' removes it)")
  .option('--max-order-notional <dollars>', 'risk limit, saved with the account: the most one order may be worth')
  .option('--max-open-orders <n>', 'risk limit, saved with the account: the most orders open at once')
  .option('--daily-loss-limit <dollars>', "risk limit, saved with the account: the day's loss that stops the strategy and opening orders until the next day")
  .option('--margin', 'make the account a margin account when this run creates it: 2x buying power overnight, 4x intraday from $25,000, short selling')
  .option('--pdt', "turn a margin account's pattern-day-trader rule back on (it refuses a 4th day trade in 5 business days under $25,000)")
  .option('--no-pdt', 'turn the pattern-day-trader rule off, saved with the account')
  .option('--borrow-rate <percent>', "what a margin account's shorts pay to borrow, percent a year, charged each night held ('off', the default: nothing); saved with the account")
  .option('--headless', 'no full-screen UI: print a status line a second')
  .option('--theme <name>', 'colours of the UI: dark, light or mono (NO_COLOR also gives mono)')
  .option('--quick-qty <qty>', 'shares a B/S quick order trades (crypto 0.01, forex 10000)', '10')
  .option('--refresh <ms>', 'how often prices redraw the screen, 100 to 10000 ms (default 1000; your orders, fills and alerts show within 250 ms, keys at once)')
  .option('--no-mouse', "no clicks or wheel on the screen: the terminal's own text selection stays as it is")
  .option('--confirm-orders', 'every order from the screen asks before it is placed (a ticket on a second Enter, B and S with y)')
  .option('--json', 'print the final snapshot as JSON when the run ends')
  .option('--verbose', 'also print the engine log (strategy messages, rejections) of a replay or --fast run, to stderr')
  .option('--log-level <level>', 'what the log files keep: info (default), debug (adds every Polygon status frame) or warn; or PAPER_TRADER_LOG_LEVEL')
  .option('--watch', 'reload a strategy when its file (in a strategies folder, or a --strategy file) changes; on by default on the screen, --watch without it')
  .option('--no-watch', 'do not reload strategy files when they change')
  .option('--list-strategies', 'list the strategies (built in, and from the strategies folders) and exit')
  .option('--data-dir <dir>', DATA_DIR_HELP)
  .option('--account <name>', `the paper account to trade, saved in the data directory (default "${DEFAULT_ACCOUNT}"; a replay or --fast run keeps its books in memory unless given)`)
  .option('--api', `serve the HTTP API on 127.0.0.1:${DEFAULT_API_PORT} (token in the data directory's ${API_TOKEN_FILE} file, or $${API_TOKEN_ENV})`)
  .option('--api-port <n>', 'serve the HTTP API on this port (0 picks a free one)')
  .option('--api-max-streams <n>', 'clients the HTTP API streams events to at once (default 100); one more is refused with 503')
  .option('--api-host <ip>', 'serve the HTTP API on this address instead of 127.0.0.1 (e.g. 0.0.0.0: reachable from other machines, with a warning)')
  .configureOutput({
    outputError: (text, write) => write(`paper-trader: ${text.replace(/^error: /, '').trim()} (see paper-trader --help)\n`),
  })
  .exitOverride()
  // Options after a subcommand are its own: record has a --symbols of its own.
  .enablePositionalOptions()
  // A word that is no subcommand is named as one (unknownCommand), not as an extra argument.
  .allowExcessArguments()
  .action(async () => runMain());

// One-shot commands; they inherit the one-line error output and exitOverride set above.
registerQuote(program);
registerRecord(program);
registerStrategy(program);
registerReport(program);
registerBacktest(program);
registerSweep(program);
registerWorker(program);
registerHistory(program);
registerConfig(program);
registerApiKeys(program);
registerAccounts(program);

const VERSION = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;
program.version(VERSION, '-V, --version', 'print the version and exit');

function fail(message: string): never {
  process.stderr.write(`paper-trader: ${escapeControls(message)}\n`);
  process.exit(2);
}

async function main(): Promise<void> {
  try {
    await program.parseAsync();
  } catch (error) {
    if (error instanceof CommanderError) process.exit(error.exitCode === 0 ? 0 : 2);
    throw error;
  }
}

/** The root command: runs the engine (only when no subcommand was given). */
async function runMain(): Promise<void> {
  const raw = program.opts<RawOptions & ApiFlags & { listStrategies?: boolean; verbose?: boolean; account?: string; logLevel?: string; strategiesDir?: string; watch?: boolean }>();
  if (program.args.length > 0) throw new CommandError(unknownCommand(program.args[0]!));
  const dir = dataDir(raw.dataDir);
  const folders = await loadStrategyFolders(strategyFolders(dir, raw.strategiesDir, process.env, readConfig(dir)), builtInStrategies);
  if (raw.listStrategies) {
    process.stdout.write(strategyList(builtInStrategies, folders));
    return;
  }
  const plan = planFromOptions(withRunDefaults(raw, process.env, readConfig(dir)), loadPolygonSettings(dir));
  const strategies = [...folders.strategies.map((loaded) => loaded.definition), ...(plan.strategyFile ? [await loadStrategyFile(plan.strategyFile)] : [])];
  const apiWhere = apiRequested(raw);
  // A live run trades a saved account; a replay or --fast run is a backtest, kept in memory unless an account is named.
  const account = raw.account ?? (plan.runToEnd || plan.replaySpeed !== undefined ? undefined : DEFAULT_ACCOUNT);
  const engine = await createEngine({
    ...plan.engine,
    riskDefaults: loadRiskDefaults(dir),
    strategies,
    strategy: plan.engine.strategy ?? (plan.strategyFile ? strategies.at(-1)?.name : undefined),
    ...(account === undefined ? {} : { account, dataDir: dir }),
  });
  const market = plan.engine.market;
  const logs = openLogFiles(dir, { apiKey: market?.kind === 'polygon' ? market.apiKey : undefined, polygon: market?.kind === 'polygon', level: logLevel(raw.logLevel) });
  const runLog = logRun(engine, logs, { version: VERSION, market: market?.kind ?? 'simulated', symbols: engine.symbols, strategy: engine.snapshot({ recent: 0, equityPoints: 1 }).strategy?.name ?? null });
  // The full-screen UI owns the terminal: nothing else may write to it.
  const terminal = terminalKind();
  // TERM=dumb cannot move the cursor: no screen can be drawn there, so the run goes headless, as it says.
  const tui = !plan.runToEnd && !raw.headless && !terminal.dumb && Boolean(process.stdout.isTTY && process.stdin.isTTY);
  if (terminal.dumb && !plan.runToEnd && !raw.headless && process.stdout.isTTY) process.stderr.write('paper-trader: TERM=dumb cannot draw the full screen: running headless (a status line a second; Ctrl-C quits). Use a terminal with TERM=xterm-256color for the screen.\n');
  if (!tui) engine.on('error', (entry) => process.stderr.write(`paper-trader: ${entry.message}\n`));
  // Said once, plainly: where the UI runs, in its log; otherwise on stderr. A log that cannot be
  // opened is said even in a replay: the user expected the file.
  const notices = [...(plan.runToEnd || !plan.notice ? [] : [plan.notice]), ...logs.problems, ...folders.problems, ...startingCashNotice(engine, account)];

  if (!tui) for (const notice of notices) process.stderr.write(`paper-trader: ${notice}\n`);
  // Live without the screen and --json: stdout carries JSON lines only (status, log, fill; the snapshot last), for jq.
  const jsonLines = !tui && !plan.runToEnd && plan.json;
  const print = tui ? undefined : plan.runToEnd ? (raw.verbose ? (line: string) => process.stderr.write(`${line}\n`) : undefined) : console.log;
  if (jsonLines) {
    engine.on('log', (entry) => console.log(JSON.stringify({ type: 'log', ...entry })));
    engine.on('fill', (fill) => console.log(JSON.stringify({ type: 'fill', ...fill })));
  } else if (print) {
    engine.on('log', (entry) => print(logLine(entry)));
    engine.on('fill', (fill) => print(fillLine(fill)));
  }
  // What the engine says while starting (the account it resumed, the strategy's warm-up) reaches the screen's log too.
  const startLog: string[] = [];
  const stopCollecting = tui ? engine.on('log', (entry) => startLog.push(entry.message)) : () => undefined;
  await engine.start();
  // Until the screen's log listens (the UI loads after the API starts), what the engine says is kept here.
  if (!tui) stopCollecting();
  if (apiWhere) {
    const started = await startApiFromFlags(engine, apiWhere, dir, (line) => logs.app?.info(line));
    closeApi = () => started.api.close();
    if (tui) startLog.push(...started.notices);
    else for (const notice of started.notices) process.stderr.write(`paper-trader: ${notice}\n`);
  }
  if (plan.runToEnd) {
    await engine.replay.runToEnd();
    await finish(engine, plan.json, runLog);
    return;
  }
  const pacer = plan.replaySpeed === undefined ? undefined : paceReplay(engine, plan.replaySpeed);
  // Edited strategy files reload: by default on the screen, with --watch without it.
  const watching = raw.watch ?? tui;
  const stopWatching = watching
    ? watchStrategyFiles({ folders: folders.folders, files: plan.strategyFile ? [plan.strategyFile] : [], engine, say: (level, message) => engine.log(level, message) })
    : () => undefined;
  if (tui) {
    const { runTui } = await import('../src/ui/render.tsx');
    const code = await runTui(engine, {
      theme: pickTheme(plan.theme),
      strategies: strategyChoices([...builtInStrategies, ...strategies]),
      quickQty: (symbol) => (symbol.startsWith('X:') ? '0.01' : symbol.startsWith('C:') ? '10000' : plan.quickQty),
      confirmOrders: plan.confirmOrders,
      ascii: terminal.ascii,
      mouse: plan.mouse,
      ...(plan.refreshMs === undefined ? {} : { refreshMs: plan.refreshMs }),
      notices: () => {
        stopCollecting();
        return [...notices, ...startLog];
      },
    });
    pacer?.stop();
    stopWatching();
    await finish(engine, plan.json, runLog);
    process.exit(code);
  }
  // Headless: a status line a second. On a terminal a line is cut to its width rather than wrapped.
  const fit = (line: string): string => (process.stdout.isTTY && process.stdout.columns ? line.slice(0, process.stdout.columns) : line);
  const status = (): string => {
    const snapshot = engine.snapshot({ recent: 0, equityPoints: 1 });
    return jsonLines ? JSON.stringify(statusRecord(snapshot)) : fit(statusLine(snapshot));
  };
  const timer = setInterval(() => console.log(status()), 1000);
  const shutdown = async () => {
    clearInterval(timer);
    pacer?.stop();
    stopWatching();
    await finish(engine, plan.json, runLog, jsonLines);
    process.exit(0);
  };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.once(signal, () => void shutdown());
  // A paced replay without the screen ends with its recording.
  if (pacer) void pacer.finished.then(shutdown);
}

/** --cash given for an account that already exists: said once, since its own starting cash stays. */
function startingCashNotice(engine: Engine, account: string | undefined): string[] {
  if (account === undefined || program.getOptionValueSource('cash') !== 'cli') return [];
  const { portfolio } = engine.snapshot({ recent: 0, equityPoints: 1 });
  const asked = program.opts<{ cash: string }>().cash;
  if (Number(portfolio.startingCash) === Number(asked)) return [];
  return [`account "${account}" keeps its starting cash of ${usd(portfolio.startingCash)}: --cash applies to a new account (paper-trader reset --account ${account} starts it over)`];
}

/** Closes the HTTP API when the run ends, so a replay with --api exits like one without. */
let closeApi: () => Promise<void> = async () => undefined;

async function finish(engine: Engine, json: boolean, log: { stopped: () => void }, oneLine = false): Promise<void> {
  await closeApi();
  await engine.stop();
  // The log is written synchronously: the line is on disk before any process.exit that follows.
  log.stopped();
  // Taken before closing: the older history is read from the account's store. The summary needs
  // none of it; --json prints it all.
  const snapshot = engine.snapshot(json ? {} : { recent: 0, equityPoints: 1 });
  // Closing releases the account's lock; what was acknowledged is already on disk.
  await engine.close();
  process.stdout.write(json ? `${oneLine ? JSON.stringify({ type: 'snapshot', ...snapshot }) : JSON.stringify(snapshot, null, 2)}\n` : `${summary(snapshot)}\n`);
}

main().catch((error: unknown) => {
  if (error instanceof EngineInputError || error instanceof CommandError || error instanceof PolygonError || error instanceof PolygonDataError) fail(error.message);
  const message = error instanceof Error ? error.message : String(error);
  if (process.env.DEBUG) console.error(error);
  fail(`unexpected error: ${message.split('\n')[0]} (set DEBUG=1 to see details)`);
});

/** --log-level: one of LOG_LEVELS, or one line saying which. */
/** --log-level, else PAPER_TRADER_LOG_LEVEL (the seed's debug mode), else info. */
function logLevel(flag: string | undefined, env = process.env['PAPER_TRADER_LOG_LEVEL']?.trim() || undefined): LogLevel {
  const text = flag ?? env;
  if (text === undefined) return 'info';
  if ((LOG_LEVELS as readonly string[]).includes(text)) return text as LogLevel;
  throw new CommandError(`${flag === undefined ? 'PAPER_TRADER_LOG_LEVEL' : '--log-level'} must be ${LOG_LEVELS.join(', ')}, not "${text}"`);
}

/** "unknown command 'frobnicate'", with the closest subcommand when one is near. */
function unknownCommand(word: string): string {
  const names = program.commands.map((command) => command.name());
  const near = closestMatch(word, names, (text) => text.toLowerCase());
  return `unknown command '${word}'${near ? ` (did you mean ${near}?)` : ''}: the commands are ${names.join(', ')}; options start with --`;
}
