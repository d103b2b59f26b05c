import { describe, expect, it } from 'vitest';
import { type CliEnv, NO_KEY_NOTICE, planFromOptions as planWithSettings, type RawOptions } from '../../src/cli/options.ts';
import { resolvePolygonSettings } from '../../src/cli/polygon-settings.ts';
import { EngineInputError } from '../../src/engine/errors.ts';

// The market choice from flags and environment alone (no config file).
const planFromOptions = (raw: RawOptions, env: CliEnv) => planWithSettings(raw, resolvePolygonSettings(env));

describe('planFromOptions market choice', () => {
  it('defaults to Polygon when POLYGON_API_KEY is set', () => {
    const plan = planFromOptions({}, { POLYGON_API_KEY: 'k123' });
    expect(plan.engine.market).toEqual({ kind: 'polygon', apiKey: 'k123' });
    expect(plan.notice).toBeUndefined();
    expect(plan.runToEnd).toBe(false);
  });

  it('passes POLYGON_REST_URL and POLYGON_WS_URL through', () => {
    const plan = planFromOptions(
      { market: 'polygon' },
      { POLYGON_API_KEY: 'k', POLYGON_REST_URL: 'http://127.0.0.1:9', POLYGON_WS_URL: 'ws://127.0.0.1:9' },
    );
    expect(plan.engine.market).toEqual({ kind: 'polygon', apiKey: 'k', restUrl: 'http://127.0.0.1:9', wsUrl: 'ws://127.0.0.1:9' });
  });

  it('falls back to the simulated market with a notice when there is no key', () => {
    const plan = planFromOptions({}, {});
    expect(plan.engine.market?.kind).toBe('simulated');
    expect(plan.notice).toBe(NO_KEY_NOTICE);
    expect(plan.notice).toBe('no POLYGON_API_KEY: running on the simulated market');
  });

  it('gives no notice for an explicit market', () => {
    expect(planFromOptions({ market: 'simulated' }, {}).notice).toBeUndefined();
    expect(planFromOptions({ market: 'simulated' }, { POLYGON_API_KEY: 'k' }).engine.market?.kind).toBe('simulated');
  });

  it('stays simulated with a key when --fast is given', () => {
    expect(planFromOptions({ fast: true }, { POLYGON_API_KEY: 'k' }).engine.market?.kind).toBe('simulated');
  });

  it('rejects --market polygon without a key', () => {
    const run = () => planFromOptions({ market: 'polygon' }, {});
    expect(run).toThrow(EngineInputError);
    expect(run).toThrow("no Polygon API key: set POLYGON_API_KEY or run 'paper-trader config set apiKey' (or use --market simulated)");
  });

  it('treats a key from the config file like one from the environment', () => {
    const plan = planWithSettings({}, resolvePolygonSettings({}, { apiKey: 'saved-key', restUrl: 'http://127.0.0.1:9' }));
    expect(plan.engine.market).toEqual({ kind: 'polygon', apiKey: 'saved-key', restUrl: 'http://127.0.0.1:9' });
    expect(plan.notice).toBeUndefined();
  });

  it('lets POLYGON_API_KEY and the URL variables override the config file', () => {
    const settings = resolvePolygonSettings(
      { POLYGON_API_KEY: 'env-key', POLYGON_WS_URL: 'ws://127.0.0.1:2' },
      { apiKey: 'saved-key', restUrl: 'http://127.0.0.1:1', wsUrl: 'ws://127.0.0.1:1' },
    );
    expect(settings).toEqual({ apiKey: 'env-key', apiKeySource: 'env', restUrl: 'http://127.0.0.1:1', wsUrl: 'ws://127.0.0.1:2' });
    expect(resolvePolygonSettings({ POLYGON_API_KEY: ' ' }, { apiKey: 'saved-key' }).apiKeySource).toBe('config');
  });

  it('--speed plays a replay at its pace instead of running it to the end, and needs a replay', () => {
    const paced = planFromOptions({ replay: 's.jsonl', speed: '2' }, {});
    expect(paced).toMatchObject({ runToEnd: false, replaySpeed: 2 });
    expect(planFromOptions({ replay: 's.jsonl' }, {})).toMatchObject({ runToEnd: true, replaySpeed: undefined });
    expect(() => planFromOptions({ speed: '2' }, {})).toThrow('--speed plays a --replay file at its recorded pace; add --replay FILE');
    expect(() => planFromOptions({ replay: 's.jsonl', speed: '0' }, {})).toThrow('--speed must be a number from 0.01 to 10000 (1 = as recorded), got "0"');
    expect(() => planFromOptions({ replay: 's.jsonl', speed: 'fast' }, {})).toThrow('--speed must be a number from 0.01 to 10000 (1 = as recorded), got "fast"');
  });

  it('names polygon among the markets', () => {
    expect(() => planFromOptions({ market: 'live' }, {})).toThrow('--market must be simulated, replay or polygon, got "live"');
  });
});

describe('the screen flags', () => {
  it('--no-mouse and --refresh reach the screen; a refresh out of range is one line naming the flag', () => {
    expect(planFromOptions({}, {})).toMatchObject({ mouse: true, refreshMs: undefined });
    expect(planFromOptions({ mouse: false, refresh: '250' }, {})).toMatchObject({ mouse: false, refreshMs: 250 });
    expect(() => planFromOptions({ refresh: '50' }, {})).toThrow('--refresh must be a number of milliseconds from 100 to 10000 (default 1000), got "50"');
    expect(() => planFromOptions({ refresh: 'fast' }, {})).toThrow(/^--refresh must be/);
  });
});
