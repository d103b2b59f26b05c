// A backtest's worker thread: takes jobs, runs each as a backtest, sends back a sweep's row or, for
// a single backtest, the whole result and its progress on the way.
import { parentPort } from 'node:worker_threads';
import { runBacktestJob, runSweepJob, type BacktestJob } from './job.ts';

export type ThreadRequest = { kind: 'row'; job: BacktestJob } | { kind: 'whole'; job: BacktestJob };

const port = parentPort!;
port.on('message', (request: ThreadRequest) => {
  if (request.kind === 'row') {
    void runSweepJob(request.job).then((row) => port.postMessage({ kind: 'row', row }));
    return;
  }
  runBacktestJob(request.job, undefined, (progress) => port.postMessage({ kind: 'progress', progress })).then(
    (result) => port.postMessage({ kind: 'result', result }),
    (error: unknown) => port.postMessage({ kind: 'error', name: (error as Error).name, message: (error as Error).message }),
  );
});
port.postMessage({ kind: 'ready' });
