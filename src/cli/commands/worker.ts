// `paper-trader worker --queue redis://HOST:PORT`: takes a sweep's runs from Redis, one at a time,
// until stopped (Ctrl-C or SIGTERM finish the run under way first).
import type { Command } from 'commander';
import { readConfig } from '../config-store.ts';
import { dataDir, dataDirFlag, withDataDirOption } from '../data-dir.ts';
import { loadPolygonSettings } from '../polygon-settings.ts';
import { strategyFolders } from '../strategy-folder.ts';
import { redisAddress, startQueueWorker } from '../sweep/queue.ts';
import { CommandError } from '../command-error.ts';
import { polygonFrom } from './polygon.ts';

export function registerWorker(program: Command): void {
  withDataDirOption(program.command('worker'))
    .description("take sweep runs from Redis (paper-trader sweep --queue): backtests from this machine's history cache, downloading what it lacks")
    .option('--queue <redis-url>', 'the Redis the sweep queues on, e.g. redis://127.0.0.1:6379')
    .option('--strategies-dir <dir>', 'another folder of your strategies')
    .action(async (flags: { queue?: string; strategiesDir?: string }, command: Command) => {
      if (!flags.queue) throw new CommandError('a worker needs --queue redis://HOST:PORT, the Redis its sweep queues on');
      const address = redisAddress(flags.queue);
      const dir = dataDir(dataDirFlag(command));
      const settings = loadPolygonSettings(dir);
      const polygon = settings.apiKey ? await polygonFrom(settings) : undefined;
      const stop = await startQueueWorker(address, {
        dataDir: dir,
        strategyFolders: strategyFolders(dir, flags.strategiesDir, process.env, readConfig(dir)),
        rest: polygon?.rest,
        onRow: (row) => process.stderr.write(`run ${row.index + 1} ${JSON.stringify(row.params)}: ${row.error === null ? `${row.trades} trades, return ${row.totalReturn === null ? '-' : `${(row.totalReturn * 100).toFixed(2)}%`}` : `failed: ${row.error}`}\n`),
      });
      process.stderr.write(`worker taking sweep runs from ${address.url} (Ctrl-C stops it)\n`);
      await new Promise<void>((resolve) => {
        const quit = (): void => {
          void stop().then(() => {
            polygon?.rest.cancelWaits();
            resolve();
          });
        };
        process.once('SIGINT', quit);
        process.once('SIGTERM', quit);
      });
    });
}
