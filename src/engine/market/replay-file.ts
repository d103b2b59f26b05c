import { createReadStream, openSync, readSync, closeSync } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
import { createGunzip } from 'node:zlib';
import { parsePolygonEvent } from './polygon-events.ts';
import type { MarketEvent } from './types.ts';

// A recorded session, read as a stream: a file of any size (gzip too) is checked line by line
// once when it is opened, then its events are read again in batches as the replay plays them, so
// memory stays flat whatever the file's size. A small file's events are kept from the first read.

/** A recorded session, in arrival order (never sorted: replay must reproduce what the stream delivered). */
export interface ReplaySession {
  /** Market events in the file. */
  readonly count: number;
  /** Every symbol with an event, in first-seen order. */
  readonly symbols: string[];
  /** Status frames and unknown event types passed over. */
  readonly skipped: number;
  /** The first and last event's market times. */
  readonly firstTime: number;
  readonly lastTime: number;
  /** The events from the start, a batch at a time. */
  batches(): AsyncIterable<MarketEvent[]>;
}

/** A replay file the user must fix; message is one line that names the file (and line). */
export class ReplayFileError extends Error {
  override readonly name = 'ReplayFileError';
}

/**
 * Bytes read at a time: a batch of events is what one such piece of the file holds. Small enough
 * that a batch dies young: 1 MB batches outlived V8's young generation and left about 50 MB more
 * garbage in the old one at the peak, for no gain in speed.
 */
const CHUNK_BYTES = 64 << 10;
/** A file of up to this many events (about 10 MB of them) is read once and kept; a larger one is streamed. */
const KEPT_EVENTS = 20_000;

/**
 * Opens a JSONL replay (or a gzip of one): each non-blank line is one Polygon event object or an
 * array of them (a raw recorded WebSocket frame, as in shared/polygon/samples/ws-*.jsonl). Every
 * line is checked now, so a bad one is named before anything trades.
 */
export async function loadReplayFile(path: string): Promise<ReplaySession> {
  let count = 0;
  let skipped = 0;
  let firstTime = 0;
  let lastTime = 0;
  const symbols = new Set<string>();
  // A small file's events are kept from this first read, so it is not read twice.
  let kept: MarketEvent[] | undefined = [];
  for await (const chunk of fileEvents(path)) {
    for (const item of chunk) {
      if (item === 'skipped') {
        skipped++;
        continue;
      }
      if (count++ === 0) firstTime = item.time;
      lastTime = item.time;
      symbols.add(item.symbol);
      kept?.push(item);
    }
    if (kept && kept.length > KEPT_EVENTS) kept = undefined;
  }
  if (count === 0) throw new ReplayFileError(`replay file "${path}" has no market events (quotes, trades or bars)`);
  return {
    count,
    symbols: [...symbols],
    skipped,
    firstTime,
    lastTime,
    async *batches() {
      if (kept) {
        yield kept;
        return;
      }
      for await (const chunk of fileEvents(path)) {
        const batch = chunk.filter((item): item is MarketEvent => item !== 'skipped');
        if (batch.length > 0) yield batch;
      }
    },
  };
}

/** Every event of the file, in order, a chunk at a time, with 'skipped' for each status frame or unknown event. */
async function* fileEvents(path: string): AsyncGenerator<(MarketEvent | 'skipped')[]> {
  let number = 0;
  for await (const lines of fileLines(path)) {
    const events: (MarketEvent | 'skipped')[] = [];
    for (const text of lines) {
      number++;
      // Editors on Windows may save a byte order mark, which JSON.parse rejects.
      const line = (number === 1 && text.startsWith('\uFEFF') ? text.slice(1) : text).trim();
      if (line === '') continue;
      const where = `replay file "${path}" line ${number}`;
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
        events.push(parsed.kind === 'event' ? parsed.event : 'skipped');
      }
    }
    yield events;
  }
}

/** The file's lines, a chunk of them at a time, read as a stream; a gzip file (by its first bytes, whatever its name) is unzipped on the way. */
async function* fileLines(path: string): AsyncGenerator<string[]> {
  const zipped = startsWithGzipMagic(path);
  const file = createReadStream(path, { highWaterMark: CHUNK_BYTES });
  const input = zipped ? file.pipe(createGunzip({ chunkSize: CHUNK_BYTES })) : file;
  // A read error of the file reaches the gunzip's reader too.
  if (zipped) file.on('error', (error) => input.destroy(error));
  const decoder = new StringDecoder('utf8');
  let rest = '';
  try {
    // Split by hand: several times faster than readline, which matters for a file of millions of lines.
    for await (const chunk of input) {
      const lines = (rest + decoder.write(chunk as Buffer)).split('\n');
      rest = lines.pop()!;
      yield lines;
    }
    rest += decoder.end();
    if (rest !== '') yield [rest];
  } catch (error) {
    if (error instanceof ReplayFileError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    throw new ReplayFileError(zipped && code?.startsWith('Z_') ? `replay file "${path}" is not a whole gzip file (${(error as Error).message})` : readFailure(path, error as NodeJS.ErrnoException));
  } finally {
    file.destroy();
    input.destroy();
  }
}

function startsWithGzipMagic(path: string): boolean {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (error) {
    throw new ReplayFileError(readFailure(path, error as NodeJS.ErrnoException));
  }
  try {
    const head = Buffer.alloc(2);
    return readSync(fd, head, 0, 2, 0) === 2 && head[0] === 0x1f && head[1] === 0x8b;
  } catch (error) {
    throw new ReplayFileError(readFailure(path, error as NodeJS.ErrnoException));
  } finally {
    closeSync(fd);
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
