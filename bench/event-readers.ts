// A child process of the HTTP API bench: N clients reading GET /api/paper/events as fast as they
// can, in a process of their own so their reading is not counted as the server's work.
// Usage: tsx bench/event-readers.ts URL TOKEN N; prints "ready" once all stream, and the bytes
// read when its stdin closes.
import { request } from 'node:http';

const [url, token, count] = process.argv.slice(2);
let bytes = 0;
await Promise.all(
  Array.from(
    { length: Number(count) },
    () =>
      new Promise<void>((resolve, reject) => {
        const req = request(`${url}/api/paper/events`, { agent: false, headers: { authorization: `Bearer ${token}` } }, (res) => {
          if (res.statusCode !== 200) reject(new Error(`event stream refused: ${res.statusCode}`));
          res.on('data', (chunk: Buffer) => (bytes += chunk.length));
          resolve();
        });
        req.on('error', () => undefined);
        req.end();
      }),
  ),
);
process.stdout.write('ready\n');
process.stdin.resume();
process.stdin.on('end', () => {
  process.stdout.write(`${bytes}\n`);
  process.exit(0);
});
