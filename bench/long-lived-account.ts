// A long-lived account against a fresh one, in the same run: the real binary (headless, simulated
// market, HTTP API) on an account with 100,000 orders and 50,000 fills, then on a new account.
// Idle CPU (market streaming, no orders) over 10 s, then the HTTP order rate; both should be
// within 10% of the fresh account's. Run alone: npx tsx bench/long-lived-account.ts
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { writeAccountWithFills } from './account-durability.ts';
import { fmt, serveBinary } from './common.ts';
import { postRestingOrders } from './http-api.ts';

const FILLED = 50_000;
const RESTING = 50_000;
const IDLE_MS = 10_000;
const ORDERS = 5_000;
/** Linux counts process CPU time in these ticks (USER_HZ). */
const TICKS_PER_SECOND = 100;

export interface AccountRun {
  name: string;
  orders: number;
  fills: number;
  idleCpuPercent: number;
  ordersPerSecond: number;
  rssMegabytes: number;
}

function cpuTicks(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return Number(fields[11]) + Number(fields[12]);
}

const rssOf = (pid: number): number => Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;

async function measure(dir: string, name: string, orders: number, fills: number): Promise<AccountRun> {
  const { child, url, token } = await serveBinary(dir, ['--symbols', 'AAPL', 'MSFT', 'NVDA', 'TSLA', '--account', 'bench']);
  try {
    await sleep(2_000);
    const before = cpuTicks(child.pid!);
    await sleep(IDLE_MS);
    const idleCpuPercent = ((cpuTicks(child.pid!) - before) / TICKS_PER_SECOND / (IDLE_MS / 1000)) * 100;
    const rssMegabytes = rssOf(child.pid!);
    await postRestingOrders(url, token, 500, 8);
    const posted = await postRestingOrders(url, token, ORDERS, 8);
    if (posted.refused > 0) throw new Error(`${posted.refused} orders refused`);
    return { name, orders, fills, idleCpuPercent, ordersPerSecond: posted.accepted / posted.seconds, rssMegabytes };
  } finally {
    child.kill('SIGTERM');
    await new Promise((resolve) => child.once('exit', resolve));
  }
}

export async function longLivedAccountBenchmark(): Promise<AccountRun[]> {
  const big = mkdtempSync(join(tmpdir(), 'paper-trader-bench-old-'));
  const fresh = mkdtempSync(join(tmpdir(), 'paper-trader-bench-new-'));
  try {
    writeAccountWithFills(big, 'bench', FILLED, RESTING);
    return [await measure(fresh, 'fresh account', 0, 0), await measure(big, 'long-lived account', FILLED + RESTING, FILLED)];
  } finally {
    rmSync(big, { recursive: true, force: true });
    rmSync(fresh, { recursive: true, force: true });
  }
}

export function printLongLivedAccount(runs: AccountRun[]): void {
  console.log(`\nLong-lived account (the binary, headless on the simulated market with the API; idle CPU over ${IDLE_MS / 1000} s, then ${fmt(ORDERS)} orders POSTed by 8 clients):`);
  for (const r of runs) {
    console.log(
      `  ${r.name.padEnd(20)} ${fmt(r.orders).padStart(7)} orders, ${fmt(r.fills).padStart(6)} fills   idle CPU ${r.idleCpuPercent.toFixed(1).padStart(5)}% of a core   ` +
        `${fmt(r.ordersPerSecond).padStart(6)} orders/s   resident ${r.rssMegabytes.toFixed(0)} MB`,
    );
  }
  const [fresh, old] = runs;
  if (!fresh || !old) return;
  const rate = old.ordersPerSecond / fresh.ordersPerSecond;
  const idle = old.idleCpuPercent - fresh.idleCpuPercent;
  console.log(
    `  long-lived vs fresh: ${rate.toFixed(2)}x the order rate, idle CPU ${idle >= 0 ? '+' : ''}${idle.toFixed(1)} points ` +
      `(target within 10%: ${rate >= 0.9 && old.idleCpuPercent <= fresh.idleCpuPercent * 1.1 + 0.5 ? 'met' : 'MISSED'})`,
  );
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  longLivedAccountBenchmark().then(printLongLivedAccount, (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
