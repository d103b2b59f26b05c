// A sweep's worker thread: takes jobs from the sweep, runs each as a backtest, sends back its row.
import { parentPort } from 'node:worker_threads';
import { runSweepJob, type SweepJob } from './job.ts';

const port = parentPort!;
port.on('message', (job: SweepJob) => {
  void runSweepJob(job).then((row) => port.postMessage(row));
});
port.postMessage('ready');
