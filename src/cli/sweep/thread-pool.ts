// Runs a sweep's jobs on worker threads, one a core: each thread takes the next job when it is done
// with one, so a slow combination does not hold the others up.
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { SweepJob, SweepRow } from './job.ts';

/**
 * The worker's code: the compiled one beside the command's chunks, or the source through tsx
 * (a thread does not inherit the loader the main thread was started with).
 */
function workerSource(): string {
  if (import.meta.url.endsWith('.ts')) {
    const tsx = import.meta.resolve('tsx/esm/api');
    const worker = new URL('./thread-worker.ts', import.meta.url).href;
    return `import(${JSON.stringify(tsx)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(worker)}); });`;
  }
  return `import(${JSON.stringify(new URL('./sweep-worker.js', import.meta.url).href)});`;
}

export const defaultThreads = (): number => availableParallelism();

export async function runOnThreads(jobs: readonly SweepJob[], threads: number, onRow: (row: SweepRow) => void): Promise<SweepRow[]> {
  const rows: SweepRow[] = [];
  let next = 0;
  const source = workerSource();
  const one = (): Promise<void> =>
    new Promise((resolve, reject) => {
      const worker = new Worker(source, { eval: true });
      const give = (): void => {
        if (next >= jobs.length) {
          void worker.terminate().then(() => resolve());
          return;
        }
        worker.postMessage(jobs[next++]);
      };
      worker.on('message', (message: SweepRow | 'ready') => {
        if (message !== 'ready') {
          rows.push(message);
          onRow(message);
        }
        give();
      });
      worker.on('error', reject);
      worker.on('exit', (code) => {
        if (code !== 0 && code !== 1) reject(new Error(`a sweep thread stopped (exit ${code})`));
      });
    });
  await Promise.all(Array.from({ length: Math.max(1, Math.min(threads, jobs.length)) }, one));
  return rows.sort((a, b) => a.index - b.index);
}
