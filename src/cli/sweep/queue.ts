// A sweep over Redis: the runs go on a BullMQ queue, and `paper-trader worker --queue URL` on any
// number of machines takes them one at a time, each backtesting from its own history cache
// (downloaded there when it lacks it, or shared through --data-dir on a shared disk).
import { randomUUID } from 'node:crypto';
import { connect } from 'node:net';
import { CommandError } from '../command-error.ts';
import type { PolygonRest } from '../../engine/market/polygon-rest.ts';
import { runSweepJob, type BacktestJob, type SweepRow } from './job.ts';

export const QUEUE_NAME = 'paper-trader-sweep';

export interface RedisAddress {
  host: string;
  port: number;
  url: string;
}

/** redis://HOST:PORT (the port defaults to 6379), or one line saying what to give. */
export function redisAddress(text: string): RedisAddress {
  let url: URL | undefined;
  try {
    url = new URL(text);
  } catch {
    url = undefined;
  }
  if (!url || url.protocol !== 'redis:' || !url.hostname) throw new CommandError(`--queue must be a Redis address, redis://HOST:PORT (e.g. redis://127.0.0.1:6379), got "${text}"`);
  return { host: url.hostname, port: url.port ? Number(url.port) : 6379, url: `redis://${url.hostname}:${url.port || 6379}` };
}

/** Asks Redis for a PONG, so an address with nothing behind it is one line, not endless reconnects. */
export function checkRedis(address: RedisAddress, timeoutMs = 3_000): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: address.host, port: address.port });
    const fail = (why: string): void => {
      socket.destroy();
      reject(new CommandError(`cannot reach Redis at ${address.url} (${why}): start redis-server there, or fix --queue`));
    };
    socket.setTimeout(timeoutMs, () => fail('no answer'));
    socket.on('error', (error: NodeJS.ErrnoException) => fail(error.code ?? error.message));
    socket.on('connect', () => socket.write('PING\r\n'));
    socket.on('data', (data) => {
      socket.destroy();
      if (data.toString().startsWith('+PONG')) resolve();
      else reject(new CommandError(`Redis at ${address.url} did not answer PING (${data.toString().trim().slice(0, 80)}): it may need a password, which paper-trader does not support yet`));
    });
  });
}

const connectionOf = (address: RedisAddress) => ({ host: address.host, port: address.port, maxRetriesPerRequest: null });

/** Puts the jobs on the queue and resolves with every row, in grid order, as the workers finish them. */
export async function runOnQueue(address: RedisAddress, jobs: readonly BacktestJob[], onRow: (row: SweepRow) => void): Promise<SweepRow[]> {
  await checkRedis(address);
  const { Queue, QueueEvents } = await import('bullmq');
  const connection = connectionOf(address);
  const queue = new Queue(QUEUE_NAME, { connection });
  const events = new QueueEvents(QUEUE_NAME, { connection });
  try {
    await events.waitUntilReady();
    const sweep = randomUUID();
    const added = await queue.addBulk(
      jobs.map((job) => ({ name: 'backtest', data: job, opts: { jobId: `${sweep}-${job.index}`, removeOnComplete: { age: 86_400 }, removeOnFail: { age: 86_400 } } })),
    );
    const rows = await Promise.all(
      added.map(async (job) => {
        const row = (await job.waitUntilFinished(events)) as SweepRow;
        onRow(row);
        return row;
      }),
    );
    return rows.sort((a, b) => a.index - b.index);
  } finally {
    await events.close();
    await queue.close();
  }
}

export interface QueueWorkerOptions {
  /** This machine's data directory and strategies folders: a job's own (the sweeper's) may not exist here. */
  dataDir: string;
  strategyFolders: string[];
  rest?: PolygonRest | undefined;
  onRow?: (row: SweepRow) => void;
}

/** Takes jobs from the queue one at a time until stopped; resolves with a stop function once connected. */
export async function startQueueWorker(address: RedisAddress, options: QueueWorkerOptions): Promise<() => Promise<void>> {
  await checkRedis(address);
  const { Worker } = await import('bullmq');
  const worker = new Worker(
    QUEUE_NAME,
    async (job) => {
      const row = await runSweepJob({ ...(job.data as BacktestJob), dataDir: options.dataDir, strategyFolders: options.strategyFolders }, options.rest);
      options.onRow?.(row);
      return row;
    },
    { connection: connectionOf(address), concurrency: 1 },
  );
  await worker.waitUntilReady();
  return () => worker.close();
}
