// npm run bench: prints the numbers the README quotes. Timing goals live here, never in tests.
import { engineBenchmarks } from './engine-throughput.ts';

const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');

async function main(): Promise<void> {
  console.log(`paper-trader benchmarks (node ${process.version}, ${process.platform} ${process.arch})\n`);
  const { throughput, latency, load } = await engineBenchmarks();
  console.log('Engine throughput (provider → strategy → executor → ledger, one core):');
  for (const r of throughput) {
    console.log(`  ${r.name.padEnd(40)} ${fmt(r.events).padStart(9)} events in ${r.seconds.toFixed(2)} s: ${fmt(r.eventsPerSecond).padStart(9)} events/s, ${fmt(r.quotesPerSecond).padStart(9)} quotes/s, ${fmt(r.fills)} fills`);
  }
  console.log(`  (reading and validating the ${fmt(load.events)}-event JSONL file first: ${load.seconds.toFixed(2)} s, ${fmt(load.events / load.seconds)} events/s)`);
  console.log('\nQuote-to-fill latency (from delivering a quote to the fill it causes):');
  for (const r of latency) {
    console.log(`  ${r.name.padEnd(40)} ${fmt(r.samples).padStart(9)} fills: p50 ${r.p50Micros.toFixed(1)} µs, p99 ${r.p99Micros.toFixed(1)} µs`);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
