// Whether dist/ was built from the sources as they are now: the build records each source file it
// compiled with a hash of its text, and a change to any of them (an edit, a checkout) makes the
// build stale. Plain JavaScript, because the launcher reads it before any TypeScript can load.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The record of a build, in its directory. */
export const MANIFEST = 'sources.json';

/**
 * One hash of the files' names and texts, or undefined when one is gone.
 * @param {string} root the directory the names are relative to
 * @param {string[]} files
 * @returns {string | undefined}
 */
export function sourcesHash(root, files) {
  const hash = createHash('sha256');
  for (const file of [...files].sort()) {
    let text;
    try {
      text = readFileSync(join(root, file));
    } catch {
      return undefined;
    }
    hash.update(`${file}\0${text.length}\0`).update(text);
  }
  return hash.digest('hex');
}

/**
 * True when `root/dist` holds a build of the sources as they are now.
 * @param {string} root the project's directory
 * @param {string} [dist] the build's directory, relative to root
 * @returns {boolean}
 */
export function buildIsCurrent(root, dist = 'dist') {
  let manifest;
  try {
    manifest = JSON.parse(readFileSync(join(root, dist, MANIFEST), 'utf8'));
  } catch {
    return false;
  }
  return Array.isArray(manifest?.sources) && typeof manifest.hash === 'string' && sourcesHash(root, manifest.sources) === manifest.hash;
}
