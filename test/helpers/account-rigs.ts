// Engine rigs on a durable account, each test in a fresh data directory that is closed and
// removed after it (the account tests and the damaged-store tests share this).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach } from 'vitest';
import { engineRig, type EngineRig, type PolygonEvent } from './engine-rig.ts';

export interface AccountRigs {
  /** This test's data directory. */
  readonly dataDir: string;
  /** A rig on account "test" (or `options.account`) in this test's data directory, or in `options.dataDir`. */
  open(events: readonly PolygonEvent[], options?: Parameters<typeof engineRig>[1]): Promise<EngineRig>;
  /** Closes a rig's engine, releasing the account for the next open. */
  close(rig: EngineRig): Promise<void>;
}

export function accountRigs(): AccountRigs {
  let dataDir = '';
  const rigs: EngineRig[] = [];
  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'paper-trader-account-'));
  });
  afterEach(async () => {
    for (const rig of rigs.splice(0)) await rig.engine.close();
    rmSync(dataDir, { recursive: true, force: true });
  });
  return {
    get dataDir() {
      return dataDir;
    },
    async open(events, options = {}) {
      const rig = await engineRig(events, { account: 'test', dataDir, ...options });
      rigs.push(rig);
      return rig;
    },
    async close(rig) {
      await rig.engine.close();
      rigs.splice(rigs.indexOf(rig), 1);
    },
  };
}
