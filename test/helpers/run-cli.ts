import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const BIN = fileURLToPath(new URL('../../bin/paper-trader.js', import.meta.url));

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** A fresh, empty data directory (config and logs), so a test never reads or writes the user's own. */
export function tempDataDir(): string {
  return mkdtempSync(join(tmpdir(), 'paper-trader-data-'));
}

/** Fresh data directories for one test file, all removed by `cleanup` (call it in afterAll). */
export function tempDataDirs(): { fresh: () => string; cleanup: () => void } {
  const dirs: string[] = [];
  return {
    fresh: () => {
      const dir = tempDataDir();
      dirs.push(dir);
      return dir;
    },
    cleanup: () => {
      for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface CliOptions {
  timeoutMs?: number;
  env?: NodeJS.ProcessEnv;
  /** What stdin carries (default: nothing, closed at once). */
  input?: string;
}

/**
 * Runs the real paper-trader binary (as npx would). Unless env sets PAPER_TRADER_DATA_DIR, the run
 * gets a temporary data directory of its own, removed afterwards.
 */
export function runCli(args: readonly string[], options: CliOptions = {}): Promise<CliResult> {
  const ownDataDir = options.env?.['PAPER_TRADER_DATA_DIR'] === undefined ? tempDataDir() : undefined;
  const env = { ...process.env, ...(ownDataDir ? { PAPER_TRADER_DATA_DIR: ownDataDir } : {}), ...options.env };
  return new Promise((resolve) => {
    const child = execFile(process.execPath, [BIN, ...args], { timeout: options.timeoutMs ?? 60_000, env, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (ownDataDir) rmSync(ownDataDir, { recursive: true, force: true });
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : null) : 0, stdout, stderr });
    });
    child.stdin?.end(options.input);
  });
}

export interface RunningCli {
  /** Resolves once stdout matches (rejects if the program exits first). */
  waitForStdout(pattern: RegExp): Promise<void>;
  /** Resolves with the match once stderr matches (rejects if the program exits first). */
  waitForStderr(pattern: RegExp): Promise<RegExpExecArray>;
  /** Sends the signal and resolves with what the program printed and its exit code. */
  stop(signal?: NodeJS.Signals): Promise<CliResult>;
  /** Resolves when the program exits on its own, with what it printed and its exit code. */
  exit(): Promise<CliResult>;
}

/** Starts the real binary for a live run (e.g. --headless) that runs until stopped; same data-dir rule as runCli. */
export function startCli(args: readonly string[], options: Omit<CliOptions, 'input'> = {}): RunningCli {
  const ownDataDir = options.env?.['PAPER_TRADER_DATA_DIR'] === undefined ? tempDataDir() : undefined;
  const env = { ...process.env, ...(ownDataDir ? { PAPER_TRADER_DATA_DIR: ownDataDir } : {}), ...options.env };
  const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  // 'close', not 'exit': by then stdout and stderr have been read to the end.
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  const waitFor = (stream: 'stdout' | 'stderr', pattern: RegExp): Promise<RegExpExecArray> =>
    new Promise((resolve, reject) => {
      const check = () => {
        const match = pattern.exec(stream === 'stdout' ? stdout : stderr);
        if (!match) return;
        child[stream].off('data', check);
        resolve(match);
      };
      child[stream].on('data', check);
      void exited.then(() => reject(new Error(`exited before ${stream} matched ${pattern}:\n${stdout}\n${stderr}`)));
      check();
    });
  return {
    waitForStdout: async (pattern) => void (await waitFor('stdout', pattern)),
    waitForStderr: (pattern) => waitFor('stderr', pattern),
    stop: async (signal = 'SIGTERM') => {
      if (child.exitCode === null) child.kill(signal);
      const code = await exited;
      if (ownDataDir) rmSync(ownDataDir, { recursive: true, force: true });
      return { code, stdout, stderr };
    },
    exit: async () => {
      const code = await exited;
      if (ownDataDir) rmSync(ownDataDir, { recursive: true, force: true });
      return { code, stdout, stderr };
    },
  };
}
