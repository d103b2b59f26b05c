// Compiles the command to plain JavaScript in dist/, which bin/paper-trader.js runs while it is
// current (see bin/build-state.js). npm runs this on install (`prepare`); `npm run build` again.
// Packages stay outside the bundle: they load from node_modules as they do from the sources.
import { renameSync, rmSync, writeFileSync } from 'node:fs';
import { relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { MANIFEST, sourcesHash } from '../bin/build-state.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/**
 * Builds into `root/dist` (or `outdir`): the new build is written beside it and then swapped in,
 * so a command starting meanwhile finds the old build whole, or none.
 */
export async function buildCommand(outdir = 'dist', root = ROOT): Promise<void> {
  const staging = `${outdir}.building-${process.pid}`;
  rmSync(`${root}/${staging}`, { recursive: true, force: true });
  const { metafile } = await build({
    absWorkingDir: root,
    // The programmatic API too: a strategy file's `import 'paper-trader'` gets it, sharing the command's chunks.
    // And a sweep's worker thread, which loads on its own.
    entryPoints: ['bin/paper-trader.ts', { in: 'src/engine/index.ts', out: 'api' }, { in: 'src/cli/sweep/thread-worker.ts', out: 'sweep-worker' }],
    outdir: staging,
    bundle: true,
    // The UI and the Polygon client load only when a run needs them, as they do from the sources.
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    packages: 'external',
    sourcemap: 'linked',
    metafile: true,
    logLevel: 'warning',
  });
  const sources = Object.keys(metafile.inputs).map((file) => relative(root, `${root}/${file}`));
  writeFileSync(`${root}/${staging}/${MANIFEST}`, `${JSON.stringify({ hash: sourcesHash(root, sources), sources }, null, 2)}\n`);
  rmSync(`${root}/${outdir}`, { recursive: true, force: true });
  renameSync(`${root}/${staging}`, `${root}/${outdir}`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  buildCommand().catch((error: unknown) => {
    console.error(`build failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  });
}
