// The key pair Alpaca's API (/v2) takes: Alpaca's own variables, APCA_API_KEY_ID and
// APCA_API_SECRET_KEY (a bot's environment works unchanged), else the data directory's
// alpaca-keys file (key id, then secret, a line each; mode 0600), made on first use.
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AlpacaKeys } from '../api/index.ts';
import { CommandError } from './command-error.ts';
import { cannotWrite } from './data-dir.ts';
import type { CliEnv } from './options.ts';

export const ALPACA_KEY_ID_ENV = 'APCA_API_KEY_ID';
export const ALPACA_SECRET_ENV = 'APCA_API_SECRET_KEY';
export const ALPACA_KEYS_FILE = 'alpaca-keys';

const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

/** A new pair shaped as Alpaca's paper keys: "PK" and 18 letters or digits; a 40-character secret. */
export function generateAlpacaKeys(): AlpacaKeys {
  const id = [...randomBytes(18)].map((byte) => ALPHANUMERIC[byte % ALPHANUMERIC.length]).join('');
  return { keyId: `PK${id}`, secret: randomBytes(30).toString('base64url') };
}

/** The pair, and where it came from: the environment, or the file (made on first use, or anew with `renew`). */
export function alpacaKeys(dir: string, env: CliEnv = process.env, renew = false): AlpacaKeys & { source: string } {
  const keyId = env[ALPACA_KEY_ID_ENV]?.trim();
  const secret = env[ALPACA_SECRET_ENV]?.trim();
  if (keyId && secret) return { keyId, secret, source: `$${ALPACA_KEY_ID_ENV} and $${ALPACA_SECRET_ENV}` };
  if (keyId || secret) throw new CommandError(`set both ${ALPACA_KEY_ID_ENV} and ${ALPACA_SECRET_ENV}, or neither (then the data directory's ${ALPACA_KEYS_FILE} file is used)`);
  const file = join(dir, ALPACA_KEYS_FILE);
  try {
    if (renew || !existsSync(file)) {
      const made = generateAlpacaKeys();
      writeFileSync(file, `${made.keyId}\n${made.secret}\n`, { mode: 0o600 });
    }
    chmodSync(file, 0o600);
    const [id = '', key = ''] = readFileSync(file, 'utf8').split('\n').map((line) => line.trim());
    if (!id || !key) throw new CommandError(`${file} does not hold a key id and a secret (a line each): delete it, or run paper-trader api-keys --new`);
    return { keyId: id, secret: key, source: file };
  } catch (error) {
    if (error instanceof CommandError) throw error;
    throw cannotWrite(dir, error);
  }
}
