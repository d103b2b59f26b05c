import type { ReplaySession } from '../../src/engine/market/replay-file.ts';
import type { MarketEvent } from '../../src/engine/market/types.ts';

/** Every event of a replay session, read whole (tests only: the app streams them). */
export async function replayEvents(session: ReplaySession): Promise<MarketEvent[]> {
  const events: MarketEvent[] = [];
  for await (const batch of session.batches()) events.push(...batch);
  return events;
}
