// The compiled build: it runs a replay exactly as the sources do, and the launcher runs it only
// while it was built from the sources as they are now; an edited, removed or unrecorded source
// sends the launcher back to the sources (through tsx).
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { buildIsCurrent, MANIFEST, sourcesHash } from '../../bin/build-state.js';
import { buildCommand } from '../../scripts/build.ts';
import { tempDataDirs } from '../helpers/run-cli.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const SESSION = fileURLToPath(new URL('../../../shared/polygon/samples/ws-crypto-session.jsonl', import.meta.url));
// Beside dist/, so the build finds ../package.json as dist/ does.
const OUTDIR = `dist-test-${process.pid}`;
const temps: string[] = [];
const { fresh: freshDataDir, cleanup } = tempDataDirs();
afterAll(() => {
  cleanup();
  rmSync(join(ROOT, OUTDIR), { recursive: true, force: true });
  for (const dir of temps) rmSync(dir, { recursive: true, force: true });
});

function run(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, args, { cwd: ROOT, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', PAPER_TRADER_DATA_DIR: freshDataDir() } });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('the compiled build', () => {
  it('replays a recorded session with the same output as the sources', async () => {
    await buildCommand(OUTDIR);
    expect(buildIsCurrent(ROOT, OUTDIR)).toBe(true);
    const built = run([join(OUTDIR, 'paper-trader.js'), '--replay', SESSION, '--strategy', 'buy-and-hold']);
    const sources = run(['--import', 'tsx', 'bin/paper-trader.ts', '--replay', SESSION, '--strategy', 'buy-and-hold']);
    expect(built.stderr).toBe('');
    expect(built.status).toBe(0);
    expect(built.stdout).toContain('fills');
    expect(built.stdout).toBe(sources.stdout);
  });
});

describe('the launcher', () => {
  /** A project with the real launcher, one source file, and a "build" of it that says it is one. */
  function project(): string {
    const root = mkdtempSync(join(tmpdir(), 'paper-trader-launcher-'));
    temps.push(root);
    mkdirSync(join(root, 'bin'));
    mkdirSync(join(root, 'dist'));
    for (const file of ['paper-trader.js', 'build-state.js']) copyFileSync(join(ROOT, 'bin', file), join(root, 'bin', file));
    symlinkSync(join(ROOT, 'node_modules'), join(root, 'node_modules'));
    writeFileSync(join(root, 'package.json'), '{ "type": "module" }\n');
    writeFileSync(join(root, 'bin', 'paper-trader.ts'), "const from: string = 'the sources';\nconsole.log(from);\n");
    writeFileSync(join(root, 'dist', 'paper-trader.js'), "console.log('the build');\n");
    const sources = ['bin/paper-trader.ts'];
    writeFileSync(join(root, 'dist', MANIFEST), JSON.stringify({ hash: sourcesHash(root, sources), sources }));
    return root;
  }
  const launch = (root: string): string => spawnSync(process.execPath, [join(root, 'bin', 'paper-trader.js')], { encoding: 'utf8' }).stdout.trim();

  it('runs the build while its sources are unchanged', () => {
    expect(launch(project())).toBe('the build');
  });

  it('runs the sources once one of them is edited, and the build again once it is as it was', () => {
    const root = project();
    const source = join(root, 'bin', 'paper-trader.ts');
    writeFileSync(source, "const from: string = 'the edited sources';\nconsole.log(from);\n");
    expect(launch(root)).toBe('the edited sources');
    writeFileSync(source, "const from: string = 'the sources';\nconsole.log(from);\n");
    expect(launch(root)).toBe('the build');
  });

  it('runs the sources when a recorded source is gone, or the record is missing or damaged', () => {
    const gone = project();
    writeFileSync(join(gone, 'dist', MANIFEST), JSON.stringify({ hash: sourcesHash(gone, ['bin/paper-trader.ts', 'src/gone.ts']), sources: ['bin/paper-trader.ts', 'src/gone.ts'] }));
    expect(launch(gone)).toBe('the sources');
    const missing = project();
    unlinkSync(join(missing, 'dist', MANIFEST));
    expect(launch(missing)).toBe('the sources');
    const damaged = project();
    writeFileSync(join(damaged, 'dist', MANIFEST), '{"hash": ');
    expect(launch(damaged)).toBe('the sources');
  });
});
