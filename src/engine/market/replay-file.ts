import { readFile } from 'node:fs/promises';
import { parsePolygonEvent } from './polygon-events.ts';
import type { MarketEvent } from './types.ts';

/** A recorded session, in arrival order (never sorted: replay must reproduce what the stream delivered). */
export interface ReplaySession {
  readonly events: MarketEvent[];
  /** Every symbol with an event, in first-seen order. */
  readonly symbols: string[];
  /** Status frames and unknown event types passed over. */
  readonly skipped: number;
}

/** A replay file the user must fix; message is one line that names the file (and line). */
export class ReplayFileError extends Error {
  override readonly name = 'ReplayFileError';
}

/**
 * Loads a JSONL replay: each non-blank line is one Polygon event object or an array of them
 * (a raw recorded WebSocket frame, as in shared/polygon/samples/ws-*.jsonl).
 */
export async function loadReplayFile(path: string): Promise<ReplaySession> {
  const text = await readText(path);
  const events: MarketEvent[] = [];
  const symbols = new Set<string>();
  let skipped = 0;
  const lines = text.split('\n');
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index]!.trim();
    if (line === '') continue;
    const where = `replay file "${path}" line ${index + 1}`;
    let frame: unknown;
    try {
      frame = JSON.parse(line);
    } catch (error) {
      throw new ReplayFileError(`${where}: not valid JSON (${(error as Error).message})`);
    }
    if (typeof frame !== 'object' || frame === null) {
      throw new ReplayFileError(`${where}: expected an event object or an array of events, got ${truncate(line)}`);
    }
    for (const raw of Array.isArray(frame) ? frame : [frame]) {
      const parsed = parsePolygonEvent(raw);
      if (parsed.kind === 'invalid') throw new ReplayFileError(`${where}: ${parsed.error}`);
      if (parsed.kind !== 'event') {
        skipped++;
        continue;
      }
      events.push(parsed.event);
      symbols.add(parsed.event.symbol);
    }
  }
  if (events.length === 0) {
    throw new ReplayFileError(`replay file "${path}" has no market events (quotes, trades or bars)`);
  }
  return { events, symbols: [...symbols], skipped };
}

async function readText(path: string): Promise<string> {
  try {
    const text = await readFile(path, 'utf8');
    // Editors on Windows may save a byte order mark, which JSON.parse rejects.
    return text.startsWith('\uFEFF') ? text.slice(1) : text;
  } catch (error) {
    throw new ReplayFileError(readFailure(path, error as NodeJS.ErrnoException));
  }
}

function readFailure(path: string, error: NodeJS.ErrnoException): string {
  switch (error.code) {
    case 'ENOENT': return `replay file "${path}" not found`;
    case 'EISDIR': return `replay file "${path}" is a directory, not a file`;
    case 'EACCES':
    case 'EPERM': return `replay file "${path}" cannot be read: permission denied`;
    default: return `replay file "${path}" cannot be read (${error.code ?? error.message})`;
  }
}

function truncate(text: string): string {
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}
