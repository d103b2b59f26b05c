// npm run readme:keys — writes the key table into README.md from the key map (the one source).
import { readFileSync, writeFileSync } from 'node:fs';
import { keyTableMarkdown } from '../src/ui/keymap.ts';

const START = '<!-- keys:start -->';
const END = '<!-- keys:end -->';
const path = new URL('../README.md', import.meta.url);
const readme = readFileSync(path, 'utf8');
const from = readme.indexOf(START);
const to = readme.indexOf(END);
if (from < 0 || to < from) {
  console.error(`README.md has no ${START} … ${END} markers`);
  process.exit(1);
}
writeFileSync(path, `${readme.slice(0, from + START.length)}\n${keyTableMarkdown()}\n${readme.slice(to)}`);
console.log('README.md key table updated');
