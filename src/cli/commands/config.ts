// `paper-trader config set|get|unset|path`: the saved settings. The key is never printed.
import type { Command } from 'commander';
import { DEFAULT_POLYGON_REST_URL, DEFAULT_POLYGON_WS_URL, DEFAULT_SYMBOLS } from '../../engine/index.ts';
import { CommandError } from '../command-error.ts';
import { CONFIG_KEYS, changeConfig, type ConfigKey, configKey, configPath, configValue, readConfig } from '../config-store.ts';
import { dataDir, dataDirFlag, withDataDirOption } from '../data-dir.ts';
import { ENV_VAR_OF } from '../polygon-settings.ts';
import { readSecret } from '../read-secret.ts';
import { shownUrl } from '../../engine/printable.ts';
import { DEFAULT_LOG_MAX_SIZE } from '../log-files.ts';

const DEFAULTS: Partial<Record<ConfigKey, string>> = {
  restUrl: DEFAULT_POLYGON_REST_URL,
  wsUrl: DEFAULT_POLYGON_WS_URL,
  logMaxSize: DEFAULT_LOG_MAX_SIZE,
  cash: '100000',
  fees: 'zero',
  slippageBps: '0',
  symbols: DEFAULT_SYMBOLS.join(' '),
};

const dirOf = (command: Command): string => dataDir(dataDirFlag(command));

export function registerConfig(program: Command): void {
  const config = withDataDirOption(
    program.command('config').description(`show or change saved settings (${CONFIG_KEYS.join(', ')}); environment variables override them`),
  );
  // --data-dir is accepted after the subcommand's name too: config get apiKey --data-dir DIR.
  withDataDirOption(config.command('set'))
    .description('save a setting; with no value, apiKey is read from stdin (a hidden prompt on a terminal)')
    .argument('<key>', CONFIG_KEYS.join(', '))
    .argument('[value]', 'the value (leave it out for apiKey to keep the key out of shell history)')
    .action(async (key: string, value: string | undefined, _options: unknown, command: Command) => {
      process.stdout.write(await setText(configKey(key), value, dirOf(command)));
    });
  withDataDirOption(config.command('get'))
    .description('show a setting and where it comes from (apiKey: only whether it is set)')
    .argument('<key>', CONFIG_KEYS.join(', '))
    .action((key: string, _options: unknown, command: Command) => {
      process.stdout.write(getText(configKey(key), dirOf(command)));
    });
  withDataDirOption(config.command('unset'))
    .description('remove a saved setting')
    .argument('<key>', CONFIG_KEYS.join(', '))
    .action((key: string, _options: unknown, command: Command) => {
      process.stdout.write(unsetText(configKey(key), dirOf(command)));
    });
  withDataDirOption(config.command('list'))
    .description('show every setting, its value and where it comes from (the environment, the config file, or the default)')
    .action((_options: unknown, command: Command) => {
      process.stdout.write(CONFIG_KEYS.map((key) => getText(key, dirOf(command))).join(''));
    });
  withDataDirOption(config.command('path'))
    .description('print where the config file is')
    .action((_options: unknown, command: Command) => {
      process.stdout.write(`${configPath(dirOf(command))}\n`);
    });
}

async function setText(key: ConfigKey, given: string | undefined, dir: string): Promise<string> {
  let text = given;
  if (text === undefined) {
    if (key !== 'apiKey') throw new CommandError(`config set ${key} needs a value, e.g. paper-trader config set ${key} ${DEFAULTS[key] ?? ''}`.trimEnd());
    text = await readSecret('Polygon API key: ');
    if (text === undefined || text.trim() === '') throw new CommandError("no apiKey on stdin: type it at the prompt, or pipe it: echo KEY | paper-trader config set apiKey");
  }
  const value = configValue(key, text);
  changeConfig(dir, (store) => store.set(key, value));
  const shown = key === 'apiKey' ? 'apiKey' : `${key} ${shownUrl(value)}`;
  const overridden = process.env[ENV_VAR_OF[key]]?.trim() ? ` (${ENV_VAR_OF[key]} is set here and overrides it)` : '';
  return `saved ${shown} in ${configPath(dir)}${overridden}\n`;
}

function getText(key: ConfigKey, dir: string): string {
  const saved = readConfig(dir)[key];
  const fromEnv = process.env[ENV_VAR_OF[key]]?.trim() || undefined;
  const variable = ENV_VAR_OF[key];
  if (key === 'apiKey') {
    if (fromEnv) return `apiKey is set (from ${variable}${saved ? ', which overrides the config file' : ''})\n`;
    return saved ? `apiKey is set (from the config file; ${variable} overrides it)\n` : 'apiKey is not set\n';
  }
  // A URL may carry a key (?apiKey=…) or a password: shown without them.
  if (fromEnv) return `${key} is ${shownUrl(fromEnv)} (from ${variable}${saved ? `, which overrides the config file's ${shownUrl(saved)}` : ''})\n`;
  if (saved) return `${key} is ${shownUrl(saved)} (from the config file; ${variable} overrides it)\n`;
  return DEFAULTS[key] === undefined ? `${key} is not set\n` : `${key} is not set (default: ${DEFAULTS[key]})\n`;
}

function unsetText(key: ConfigKey, dir: string): string {
  if (readConfig(dir)[key] === undefined) return `${key} was not set in ${configPath(dir)}\n`;
  changeConfig(dir, (store) => store.delete(key));
  return `removed ${key} from ${configPath(dir)}\n`;
}
