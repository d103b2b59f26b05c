// The whole app on a replay file with a manual clock: the test steps the market, presses keys,
// and reads both the screen and the engine's books.
import { EventEmitter } from 'node:events';
import { afterEach } from 'vitest';
import type { Engine, EngineOptions } from '../../src/engine/index.ts';
import type { MouseEvent } from '../../src/ui/mouse.ts';
import { App } from '../../src/ui/app.tsx';
import { UiStore } from '../../src/ui/store.ts';
import { THEMES } from '../../src/ui/theme.ts';
import { builtInStrategies, strategyChoices } from '../../strategies/index.ts';
import { engineRig, type PolygonEvent } from './engine-rig.ts';
import { renderScreen, type RenderedScreen } from './render-screen.tsx';

export interface AppRig {
  engine: Engine;
  store: UiStore;
  screen: RenderedScreen;
  /** Delivers n market events and waits for the screen to catch up. */
  step(n?: number): Promise<void>;
  press(...keys: string[]): Promise<void>;
  /** A mouse report, as the terminal sends it (0-based cell). */
  mouse(event: MouseEvent): Promise<void>;
  quitRequested(): boolean;
  close(): Promise<void>;
}

export async function appRig(
  events: readonly PolygonEvent[],
  size: { columns: number; rows: number } = { columns: 100, rows: 30 },
  options: Omit<EngineOptions, 'market'> = {},
  app: { confirmOrders?: boolean } = {},
): Promise<AppRig> {
  const { engine } = await engineRig(events, options);
  const store = new UiStore(engine, { intervalMs: 0 });
  let quit = false;
  const strategies = strategyChoices(builtInStrategies);
  const pointer = new EventEmitter();
  const screen = renderScreen(
    <App engine={engine} store={store} theme={THEMES.mono} strategies={strategies} quickQty={() => '10'} confirmOrders={app.confirmOrders === true}
      mouse={(listener) => {
        pointer.on('mouse', listener);
        return () => pointer.off('mouse', listener);
      }}
      onQuit={() => void (quit = true)}
    />,
    size.columns,
    size.rows,
    { splitKeys: true },
  );
  const settle = () => new Promise((resolve) => setTimeout(resolve, 10));
  return {
    engine,
    store,
    screen,
    step: async (n = 1) => {
      await engine.replay.step(n);
      store.refresh();
      await settle();
    },
    press: async (...keys) => {
      for (const key of keys) await screen.press(key);
      await settle();
    },
    mouse: async (event) => {
      pointer.emit('mouse', event);
      await settle();
    },
    quitRequested: () => quit,
    close: async () => {
      screen.unmount();
      store.dispose();
      await engine.stop();
    },
  };
}

/** A test's app rig, closed after each test: `const app = appRigPerTest(); const rig = await app.open(session)`. */
export function appRigPerTest(): { open: (...args: Parameters<typeof appRig>) => Promise<AppRig> } {
  let current: AppRig | undefined;
  afterEach(async () => {
    await current?.close();
    current = undefined;
  });
  return {
    open: async (...args) => (current = await appRig(...args)),
  };
}
