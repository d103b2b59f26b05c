// The key pair Alpaca's API takes: Alpaca's own variables, else a file in the data directory made
// on first use (mode 0600); `paper-trader api-keys` shows the key id and where the secret is,
// never the secret.
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { alpacaKeys } from '../../src/cli/alpaca-keys.ts';
import { runCli, tempDataDirs } from '../helpers/run-cli.ts';

const dirs = tempDataDirs();
afterAll(() => dirs.cleanup());

describe('alpacaKeys', () => {
  it('takes APCA_API_KEY_ID and APCA_API_SECRET_KEY, both or neither', () => {
    const dir = dirs.fresh();
    expect(alpacaKeys(dir, { APCA_API_KEY_ID: 'PKENV', APCA_API_SECRET_KEY: 'secret-from-env' })).toMatchObject({ keyId: 'PKENV', secret: 'secret-from-env' });
    expect(() => alpacaKeys(dir, { APCA_API_KEY_ID: 'PKENV' })).toThrow('set both APCA_API_KEY_ID and APCA_API_SECRET_KEY, or neither');
  });

  it('else makes a pair in the data directory once (mode 0600), keeps it, and makes a new one when asked', () => {
    const dir = dirs.fresh();
    const first = alpacaKeys(dir, {});
    expect(first.keyId).toMatch(/^PK[A-Z0-9]{18}$/);
    expect(first.secret.length).toBeGreaterThanOrEqual(40);
    expect(statSync(join(dir, 'alpaca-keys')).mode & 0o777).toBe(0o600);
    expect(alpacaKeys(dir, {})).toMatchObject({ keyId: first.keyId, secret: first.secret });
    const renewed = alpacaKeys(dir, {}, true);
    expect(renewed.keyId).not.toBe(first.keyId);
    expect(readFileSync(join(dir, 'alpaca-keys'), 'utf8')).toBe(`${renewed.keyId}\n${renewed.secret}\n`);
  });
});

describe('paper-trader api-keys', () => {
  it('shows the key id and where the secret is, never the secret', async () => {
    const dir = dirs.fresh();
    const result = await runCli(['api-keys', '--data-dir', dir], { env: { APCA_API_KEY_ID: '', APCA_API_SECRET_KEY: '' } });
    const { keyId, secret } = alpacaKeys(dir, {});
    expect(result.stdout).toContain(`APCA_API_KEY_ID=${keyId}`);
    expect(result.stdout).toContain(`line 2 of ${join(dir, 'alpaca-keys')}`);
    expect(result.stdout).not.toContain(secret);
    expect(result.code).toBe(0);
  });
});
