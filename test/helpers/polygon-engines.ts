import type { Engine } from '../../src/engine/index.ts';
import { CLUSTERS, type FakePolygon } from './fake-polygon.ts';
import { until } from './until.ts';

/** Stops the engines a test started and waits until the fake has no connection left, so the next test starts clean. */
export async function stopEngines(engines: Engine[], fake: FakePolygon): Promise<void> {
  for (const engine of engines.splice(0)) await engine.stop();
  await until(() => CLUSTERS.every((cluster) => fake.connections(cluster) === 0), 3000);
}
