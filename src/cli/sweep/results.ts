// A sweep's results: ranked by the metric the user chose, printed as a table, and kept as Parquet
// (one row a run: its parameters as columns, then the metrics) where DuckDB and
// `paper-trader report --sweep FILE` read them.
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { CommandError } from '../command-error.ts';
import { signedUsd } from '../../ui/format.ts';
import { sqlString } from '../../engine/backtest/duckdb.ts';
import type { Params } from './grid.ts';
import type { SweepRow } from './job.ts';

/** What a sweep can be ranked by; each best first (the drawdown smallest first). */
export const METRICS = {
  sharpe: (row: SweepRow) => row.sharpe,
  sortino: (row: SweepRow) => row.sortino,
  return: (row: SweepRow) => row.totalReturn,
  cagr: (row: SweepRow) => row.cagr,
  'profit-factor': (row: SweepRow) => row.profitFactor,
  'win-rate': (row: SweepRow) => row.winRate,
  expectancy: (row: SweepRow) => (row.expectancy === null ? null : Number(row.expectancy)),
  'max-drawdown': (row: SweepRow) => (row.maxDrawdownPercent === null ? null : -row.maxDrawdownPercent),
  trades: (row: SweepRow) => row.trades,
} satisfies Record<string, (row: SweepRow) => number | null>;
export type Metric = keyof typeof METRICS;

export function metricFrom(text: string): Metric {
  if (text in METRICS) return text as Metric;
  throw new CommandError(`--metric "${text}" is not one to rank by: use ${Object.keys(METRICS).join(', ')}`);
}

/** Best first by `metric`; runs without a value (or that failed) last; ties in grid order. */
export function ranked(rows: readonly SweepRow[], metric: Metric): SweepRow[] {
  const value = METRICS[metric];
  const score = (row: SweepRow): number => (row.error === null ? (value(row) ?? Number.NEGATIVE_INFINITY) : Number.NaN);
  return [...rows].sort((a, b) => {
    const [x, y] = [score(a), score(b)];
    if (Number.isNaN(x) !== Number.isNaN(y)) return Number.isNaN(x) ? 1 : -1;
    if (x !== y && !Number.isNaN(x)) return y - x;
    return a.index - b.index;
  });
}

const pct = (value: number | null): string => (value === null ? '-' : `${(value * 100).toFixed(2)}%`);
const num = (value: number | null): string => (value === null ? '-' : value.toFixed(2));

/** The grid's parameters of a run, as `shortWindow=5 longWindow=30`. */
const paramsText = (params: Params, names: readonly string[]): string => names.map((name) => `${name}=${JSON.stringify(params[name])}`).join(' ');

export function sweepTable(rows: readonly SweepRow[], metric: Metric, gridNames: readonly string[]): string {
  const header = ['#', 'params', 'trades', 'win', 'return', 'CAGR', 'Sharpe', 'Sortino', 'max DD', 'PF', 'expectancy'];
  const body = ranked(rows, metric).map((row, i) =>
    row.error !== null
      ? [String(i + 1), paramsText(row.params, gridNames), `failed: ${row.error}`]
      : [
          String(i + 1),
          paramsText(row.params, gridNames),
          String(row.trades),
          pct(row.winRate),
          pct(row.totalReturn),
          pct(row.cagr),
          num(row.sharpe),
          num(row.sortino),
          pct(row.maxDrawdownPercent),
          num(row.profitFactor),
          row.expectancy === null ? '-' : signedUsd(row.expectancy),
        ],
  );
  const widths = header.map((h, col) => Math.max(h.length, ...body.filter((cells) => cells.length === header.length).map((cells) => cells[col]!.length)));
  const line = (cells: string[]): string =>
    cells.length === header.length ? cells.map((cell, col) => (col === 1 ? cell.padEnd(widths[col]!) : cell.padStart(widths[col]!))).join('  ') : `${cells[0]!.padStart(widths[0]!)}  ${cells[1]!.padEnd(widths[1]!)}  ${cells[2]}`;
  return `${[line(header), ...body.map(line)].join('\n')}\n`;
}

/** The rows as a flat record each: the grid's parameters as columns, then the metrics. */
function flat(row: SweepRow, gridNames: readonly string[]): Record<string, unknown> {
  const { params, ...metrics } = row;
  return { ...Object.fromEntries(gridNames.map((name) => [name, params[name]])), params: JSON.stringify(params), ...metrics };
}

/** Writes the rows to `file` as Parquet (whole or not at all). */
export async function writeSweepResults(file: string, rows: readonly SweepRow[], gridNames: readonly string[]): Promise<void> {
  mkdirSync(dirname(file), { recursive: true });
  const json = `${file}.${process.pid}.json`;
  const partial = `${file}.${process.pid}.tmp`;
  const { DuckDBInstance } = await import('@duckdb/node-api');
  const db = await (await DuckDBInstance.create(':memory:')).connect();
  try {
    writeFileSync(json, JSON.stringify(rows.map((row) => flat(row, gridNames))));
    await db.run(`COPY (SELECT * FROM read_json(${sqlString(json)}, maximum_object_size = 1000000000) ORDER BY "index") TO ${sqlString(partial)} (FORMAT parquet)`);
    renameSync(partial, file);
  } finally {
    db.closeSync();
    rmSync(json, { force: true });
    rmSync(partial, { force: true });
  }
}

/** Reads a sweep's results back (paper-trader report --sweep FILE). */
export async function readSweepResults(file: string): Promise<{ rows: SweepRow[]; gridNames: string[] }> {
  const { DuckDBInstance } = await import('@duckdb/node-api');
  const db = await (await DuckDBInstance.create(':memory:')).connect();
  try {
    const reader = await db.runAndReadAll(`SELECT * FROM read_parquet(${sqlString(file)}) ORDER BY "index"`);
    const columns = reader.columnNames();
    const metricNames = new Set(['index', 'params', 'error', 'events', 'trades', 'closedTrades', 'winRate', 'totalReturn', 'cagr', 'sharpe', 'sortino', 'maxDrawdownPercent', 'profitFactor', 'expectancy', 'fees', 'endEquity', 'runSeconds']);
    const gridNames = columns.filter((name) => !metricNames.has(name));
    const rows = reader.getRowObjectsJson().map((raw) => {
      const record = raw as Record<string, unknown>;
      const numberOrNull = (key: string): number | null => (record[key] === null || record[key] === undefined ? null : Number(record[key]));
      return {
        index: Number(record['index']),
        params: JSON.parse(String(record['params'])) as Params,
        error: (record['error'] as string | null) ?? null,
        events: Number(record['events']),
        trades: Number(record['trades']),
        closedTrades: Number(record['closedTrades']),
        winRate: numberOrNull('winRate'),
        totalReturn: numberOrNull('totalReturn'),
        cagr: numberOrNull('cagr'),
        sharpe: numberOrNull('sharpe'),
        sortino: numberOrNull('sortino'),
        maxDrawdownPercent: numberOrNull('maxDrawdownPercent'),
        profitFactor: numberOrNull('profitFactor'),
        expectancy: record['expectancy'] === null || record['expectancy'] === undefined ? null : String(record['expectancy']),
        fees: String(record['fees']),
        endEquity: record['endEquity'] === null || record['endEquity'] === undefined ? null : String(record['endEquity']),
        runSeconds: Number(record['runSeconds']),
      } satisfies SweepRow;
    });
    return { rows, gridNames };
  } catch (error) {
    throw new CommandError(`sweep results "${file}" cannot be read: ${(error as Error).message.split('\n')[0]}`);
  } finally {
    db.closeSync();
  }
}
