// `paper-trader api-keys`: the key pair a bot written for Alpaca sends to /v2. The secret is never
// printed: the line to export it reads it from its file.
import type { Command } from 'commander';
import { ALPACA_KEY_ID_ENV, ALPACA_SECRET_ENV, alpacaKeys } from '../alpaca-keys.ts';
import { DEFAULT_API_PORT } from '../api-flags.ts';
import { dataDir, dataDirFlag, withDataDirOption } from '../data-dir.ts';

export function registerApiKeys(program: Command): void {
  withDataDirOption(program.command('api-keys'))
    .description(`show the key pair Alpaca's API (/v2) takes, made on first use (or ${ALPACA_KEY_ID_ENV} and ${ALPACA_SECRET_ENV})`)
    .option('--new', 'make a new pair (the old one stops working)')
    .action((options: { new?: boolean }, command: Command) => {
      const keys = alpacaKeys(dataDir(dataDirFlag(command)), process.env, options.new === true);
      const fromFile = !keys.source.startsWith('$');
      process.stdout.write(
        [
          `${ALPACA_KEY_ID_ENV}=${keys.keyId}`,
          fromFile ? `${ALPACA_SECRET_ENV}: line 2 of ${keys.source} (export ${ALPACA_SECRET_ENV}="$(sed -n 2p '${keys.source}')")` : `${ALPACA_SECRET_ENV}: from the environment`,
          `APCA_API_BASE_URL=http://127.0.0.1:${DEFAULT_API_PORT} (run paper-trader with --api)`,
          '',
        ].join('\n'),
      );
    });
}
