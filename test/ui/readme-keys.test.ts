import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { KEY_MAP, keyTableMarkdown } from '../../src/ui/keymap.ts';

describe('the README key table', () => {
  it('is the one generated from the key map (run npm run readme:keys after changing keys)', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    expect(readme).toContain(`<!-- keys:start -->\n${keyTableMarkdown()}\n<!-- keys:end -->`);
    for (const binding of KEY_MAP) expect(keyTableMarkdown()).toContain(binding.description);
  });
});
