// `paper-trader record --symbols AAPL MSFT --out session.jsonl`: writes the live Polygon stream as
// the JSONL that --replay reads (one event per line, as Polygon sent it, in arrival order).
import { createWriteStream } from 'node:fs';
import type { Command } from 'commander';
import { LiveClock } from '../../engine/clock/live-clock.ts';
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
  const out = createWriteStream(options.out, { flags: 'w' });
  const opened = new Promise<void>((resolve, reject) => {
    out.once('open', () => resolve());
    out.once('error', reject);
  });
  await opened.catch((error: NodeJS.ErrnoException) => {
    throw new CommandError(`cannot write ${options.out}: ${error.code ?? error.message}`);
  });

  let recorded = 0;
  let finish: (code: number) => void = () => {};
  const finished = new Promise<number>((resolve) => (finish = resolve));
  // Loaded here: the WebSocket client is needed only by this command.
  const { groupByCluster, PolygonStream } = await import('../../engine/market/polygon-stream.ts');
  const streams = [...groupByCluster(symbols)].map(([cluster, clusterSymbols]) => {
    const stream = new PolygonStream({
      apiKey: polygon.apiKey,
      baseUrl: polygon.wsUrl,
      cluster,
      clock: new LiveClock(),
      onRaw: (raw) => {
        out.write(`${JSON.stringify(raw)}\n`);
        recorded++;
      },
      onEvent: () => {},
      onStatus: (status) => {
        if (status.message) process.stderr.write(`paper-trader: ${cluster}: ${status.message}\n`);
        if (status.state === 'failed') finish(2);
      },
      onProblem: (message) => process.stderr.write(`paper-trader: ${message}\n`),
    });
    stream.subscribe(clusterSymbols);
    return stream;
  });
  for (const stream of streams) stream.start();
  process.stderr.write(`paper-trader: recording ${symbols.join(' ')} to ${options.out}${durationMs ? '' : ' (Ctrl-C stops)'}\n`);
  const timer = durationMs === undefined ? undefined : setTimeout(() => finish(0), durationMs);
  const onSignal = () => finish(0);
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  const code = await finished;
  clearTimeout(timer);
  process.off('SIGINT', onSignal);
  process.off('SIGTERM', onSignal);
  for (const stream of streams) stream.stop();
  await new Promise<void>((resolve) => out.end(resolve));
  process.stderr.write(`paper-trader: recorded ${recorded} events to ${options.out}\n`);
  return code;
}
