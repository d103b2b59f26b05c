// `paper-trader record --symbols AAPL MSFT --out session.jsonl`: writes the live Polygon stream as
// the JSONL that --replay reads (one event per line, as Polygon sent it, in arrival order).
import { closeSync, ftruncateSync, openSync, writeSync } from 'node:fs';
import type { Command } from 'commander';
import { LiveClock } from '../../engine/clock/live-clock.ts';
import { delayedHostOf } from '../../engine/index.ts';
import { durationFrom } from '../options.ts';
import { withDataDirOption } from '../data-dir.ts';
import type { PolygonSettings } from '../polygon-settings.ts';
import { CommandError, polygonFrom, settingsFor, symbolArgument } from './polygon.ts';

export function registerRecord(program: Command): void {
  withDataDirOption(program.command('record'))
    .description('record the live Polygon stream to a JSONL file that --replay plays back (needs a Polygon API key)')
    .requiredOption('--symbols <symbols...>', 'what to record: AAPL MSFT X:BTCUSD C:EURUSD')
    .requiredOption('--out <file>', 'the JSONL file to write')
    .option('--duration <time>', 'stop after this long: 90s, 30m, 6.5h (default: until Ctrl-C)')
    .action(async (options: { symbols: string[]; out: string; duration?: string }, command: Command) => {
      process.exitCode = await record(options, settingsFor(command));
    });
}

export async function record(options: { symbols: string[]; out: string; duration?: string }, settings: PolygonSettings): Promise<number> {
  const symbols = options.symbols.flatMap((text) => text.split(/[,\s]+/)).filter(Boolean).map(symbolArgument);
  if (symbols.length === 0) throw new CommandError('--symbols is empty: give at least one, e.g. --symbols AAPL');
  const durationMs = options.duration === undefined ? undefined : durationFrom(options.duration);
  const polygon = await polygonFrom(settings);
  const delayedWsUrl = settings.delayedWsUrl ?? delayedHostOf(polygon.wsUrl);
  let fd: number;
  try {
    fd = openSync(options.out, 'w');
  } catch (error) {
    throw new CommandError(`cannot write ${options.out}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }

  let recorded = 0;
  let written = 0;
  let finish: (code: number) => void = () => {};
  const finished = new Promise<number>((resolve) => (finish = resolve));
  /** Whole lines or nothing: a failed write (a full disk) is cut back to the last whole line, and recording stops. */
  const writeLine = (line: string): void => {
    if (written < 0) return;
    const bytes = Buffer.from(`${line}\n`);
    try {
      let at = 0;
      while (at < bytes.length) at += writeSync(fd, bytes, at, bytes.length - at, written + at);
      written += bytes.length;
    } catch (error) {
      try {
        ftruncateSync(fd, written);
      } catch {
        // the file keeps a torn last line only if even truncating fails
      }
      written = -1;
      process.stderr.write(`paper-trader: cannot write ${options.out} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}): recording stopped after ${recorded} events\n`);
      finish(1);
    }
  };
  // Polygon's reconnect timers do not keep the process alive; this does, until Ctrl-C or a fatal error.
  const keepAlive = setInterval(() => undefined, 60_000);
  let droppedAt: number | undefined;
  // Loaded here: the WebSocket client is needed only by this command. The market finds the plan
  // (delayed host, a cluster without data) as the app does; only what streams is recorded.
  const { PolygonMarket } = await import('../../engine/market/polygon-market.ts');
  const market = new PolygonMarket({
    apiKey: polygon.apiKey,
    restUrl: polygon.rest.baseUrl,
    wsUrl: polygon.wsUrl,
    ...(delayedWsUrl ? { delayedWsUrl } : {}),
    symbols,
    clock: new LiveClock(),
    onRaw: (raw) => {
      writeLine(JSON.stringify(raw));
      if (written >= 0) recorded++;
    },
  });
  const unknown = await market.unknownSymbols(symbols);
  if (unknown) {
    clearInterval(keepAlive);
    closeSync(fd);
    throw new CommandError(unknown);
  }
  const say = (line: string): void => void process.stderr.write(`paper-trader: ${line}\n`);
  const onSignal = () => finish(0);
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  await market.start({
    event: () => undefined,
    notice: say,
    status: (status) => {
      if (status.message) say(status.message);
      if (status.state === 'reconnecting') droppedAt ??= Date.now();
      if ((status.state === 'live' || status.state === 'delayed') && droppedAt !== undefined) {
        // A status line, which --replay passes over: the file says where events may be missing.
        writeLine(JSON.stringify([{ ev: 'status', status: 'gap', message: `disconnected: events from ${new Date(droppedAt).toISOString()} to ${new Date().toISOString()} may be missing`, from: droppedAt, to: Date.now() }]));
        droppedAt = undefined;
      }
      if (status.state === 'failed') finish(2);
      else if (status.state === 'delayed' && market.streamingClusters.length === 0) {
        say('your Polygon plan streams none of these symbols (no WebSocket): there is nothing to record');
        finish(2);
      }
    },
  });
  process.stderr.write(`paper-trader: recording ${symbols.join(' ')} to ${options.out}${durationMs ? '' : ' (Ctrl-C stops)'}\n`);
  const timer = durationMs === undefined ? undefined : setTimeout(() => finish(0), durationMs);

  const code = await finished;
  clearTimeout(timer);
  process.off('SIGINT', onSignal);
  process.off('SIGTERM', onSignal);
  clearInterval(keepAlive);
  await market.stop();
  closeSync(fd);
  process.stderr.write(`paper-trader: recorded ${recorded} events to ${options.out}\n`);
  return code;
}
