// A strategy file may live in any folder: `import { defineStrategy } from 'paper-trader'` must
// find this paper-trader, and `zod` or `trading-signals` the packages it ships with, whether or
// not the file's own folder has them installed. Node resolves both module systems differently, so
// both are taught: ES modules by a resolve hook (module.register), CommonJS (a .ts file outside an
// ESM package loads as one) by wrapping Module._resolveFilename. A package the file's folder does
// have installed is still found there first; 'paper-trader' always means the one running.
import { existsSync, readFileSync } from 'node:fs';
import Module, { register } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { register as registerTypeScript } from 'tsx/esm/api';

const PACKAGE_NAME = 'paper-trader';

/** This package's folder: the nearest package.json named paper-trader above this file (the sources or dist/). */
export function packageRoot(from = fileURLToPath(import.meta.url)): string {
  for (let dir = dirname(from); ; dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === PACKAGE_NAME) return dir;
    if (dirname(dir) === dir) throw new Error(`cannot find the ${PACKAGE_NAME} package above ${from}`);
  }
}

/**
 * The module `import ... from 'paper-trader'` gets: the programmatic API's entry, compiled
 * (dist/api.js, sharing the running command's modules) when the command runs compiled, else its
 * source. `source` always gives the source (an editor's types).
 */
export function apiEntry(root = packageRoot(), source = false): string {
  const compiled = join(root, 'dist', 'api.js');
  return !source && fileURLToPath(import.meta.url).startsWith(join(root, 'dist')) && existsSync(compiled) ? compiled : join(root, 'src', 'engine', 'index.ts');
}

const isBare = (specifier: string): boolean => !/^(\.|\/|[a-z]+:)/i.test(specifier);

// Runs in Node's loader thread: plain JavaScript, given the entry and a file inside the package.
const RESOLVE_HOOK = `
let entry, inside;
export function initialize(data) { entry = data.entry; inside = data.inside; }
export async function resolve(specifier, context, next) {
  if (specifier === '${PACKAGE_NAME}') return { url: entry, shortCircuit: true };
  try {
    return await next(specifier, context);
  } catch (error) {
    const bare = !/^(\\.|\\/|[a-z]+:)/i.test(specifier);
    if (!bare || error?.code !== 'ERR_MODULE_NOT_FOUND' || context.parentURL === inside) throw error;
    return next(specifier, { ...context, parentURL: inside });
  }
}`;

let taught = false;

/**
 * Teaches both module systems, once per process, before the first strategy file loads. Run
 * compiled, the command also lets TypeScript load anywhere: an editor's tsconfig (the scaffold's)
 * maps 'paper-trader' to its sources for their types, and tsx follows it for CommonJS files.
 */
export function teachStrategyImports(): void {
  if (taught) return;
  taught = true;
  // Found only the first time: every strategy file (and every reload) calls this.
  const root = packageRoot();
  if (fileURLToPath(import.meta.url).startsWith(join(root, 'dist'))) registerTypeScript();
  const entry = apiEntry(root);
  const inside = join(root, 'package.json');
  register(`data:text/javascript,${encodeURIComponent(RESOLVE_HOOK)}`, { data: { entry: pathToFileURL(entry).href, inside: pathToFileURL(inside).href } });
  const modules = Module as unknown as { _resolveFilename: (request: string, parent: unknown, ...rest: unknown[]) => string };
  const original = modules._resolveFilename;
  const fallbackParent = { id: inside, filename: inside, paths: (Module as unknown as { _nodeModulePaths(dir: string): string[] })._nodeModulePaths(root) };
  modules._resolveFilename = function resolveFilename(request, parent, ...rest) {
    if (request === PACKAGE_NAME) return entry;
    try {
      return original.call(this, request, parent, ...rest);
    } catch (error) {
      if (!isBare(request) || (error as { code?: string }).code !== 'MODULE_NOT_FOUND' || parent === fallbackParent) throw error;
      return original.call(this, request, fallbackParent, ...rest);
    }
  };
}
