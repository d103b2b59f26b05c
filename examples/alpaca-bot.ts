// A small trading bot written only against Alpaca's Trading API, through Alpaca's own client, as one
// writes a bot for Alpaca's paper account. Alpaca's variables point it anywhere: left alone it trades
// on paper-api.alpaca.markets; APCA_API_BASE_URL=http://127.0.0.1:8787 makes it trade on a running
// `paper-trader --api`, unchanged.
//
//   APCA_API_BASE_URL=http://127.0.0.1:8787 APCA_API_KEY_ID=... APCA_API_SECRET_KEY=... \
//     npx tsx examples/alpaca-bot.ts BTC/USD --qty 0.01 --take 0.002 --stop 0.002 --rounds 3
//
// Each round it buys `qty` at market, offers what it got `take` above its average fill price, and
// sells at market instead if the price falls `stop` below it. It logs its orders' trade_updates,
// and on Ctrl-C cancels its working order before it leaves.
import { Alpaca, trading } from '@alpacahq/alpaca-trade-api';
import { setTimeout as sleep } from 'node:timers/promises';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

export interface BotOptions {
  baseUrl: string;
  keyId: string;
  secret: string;
  /** AAPL, or a crypto pair as Alpaca spells it: BTC/USD. */
  symbol: string;
  qty: string;
  /** Take profit this fraction above the entry (0.002 is 0.2%). */
  take: number;
  /** Stop out this fraction below the entry. */
  stop: number;
  rounds: number;
  /** Between two looks at the exit order and the price, ms. */
  pollMs: number;
  log: (line: string) => void;
  signal?: AbortSignal;
}

export interface Round {
  entry: number;
  exit: number;
  qty: number;
  how: 'take' | 'stop';
}

const isCrypto = (symbol: string): boolean => symbol.includes('/');

export async function runBot(options: BotOptions): Promise<Round[]> {
  const { symbol, log, signal } = options;
  const config = new trading.Configuration({ basePath: options.baseUrl, keyId: options.keyId, secret: options.secret });
  const orders = new trading.OrdersApi(config);
  const positions = new trading.PositionsApi(config);
  const clock = new trading.ClockApi(config);

  const account = await new trading.AccountsApi(config).getAccount();
  log(`account ${account.accountNumber}: cash ${account.cash}, buying power ${account.buyingPower}`);

  const stream = new Alpaca({ keyId: options.keyId, secret: options.secret }).trading.stream({ url: `${options.baseUrl.replace(/^http/, 'ws')}/stream` });
  stream.onTradeUpdate((update) => {
    const { order } = update;
    if (order.clientOrderId?.startsWith('bot-')) log(`${update.event}: ${order.side} ${order.qty} ${order.symbol} (${order.type}), filled ${order.filledQty ?? 0}${order.filledAvgPrice ? ` at ${order.filledAvgPrice}` : ''}`);
  });
  stream.onConnect(() => stream.subscribeTradeUpdates());
  stream.connect();
  await stream.whenAuthenticated();

  const rounds: Round[] = [];
  const run = Date.now().toString(36);
  const aborted = (): boolean => signal?.aborted === true;
  try {
    for (let round = 1; round <= options.rounds && !aborted(); round++) {
      // Stocks trade in the market's hours; crypto at any hour.
      while (!isCrypto(symbol) && !aborted() && !(await clock.legacyClock()).isOpen) await pause(options.pollMs * 10, signal);
      if (aborted()) break;

      const entryOrder = await orders.postOrder({ postOrderRequest: { symbol, qty: options.qty, side: 'buy', type: 'market', timeInForce: isCrypto(symbol) ? 'gtc' : 'day', clientOrderId: `bot-${run}-${round}-in` } });
      const entry = await settled(orders, entryOrder.id!, options.pollMs, signal);
      if (!ended(entry)) {
        await orders.deleteOrderByOrderID({ orderId: entry.id! }).catch(() => undefined);
        log(`stopped: the buy is canceled, ${entry.filledQty ?? 0} of it bought and kept`);
        return rounds;
      }
      const bought = Number(entry.filledQty ?? 0);
      if (bought === 0) {
        log(`round ${round}: the buy got nothing (${entry.status}); stopping`);
        break;
      }
      const entryPrice = Number(entry.filledAvgPrice);
      const target = (entryPrice * (1 + options.take)).toFixed(2);
      const floor = entryPrice * (1 - options.stop);
      const exit = await orders.postOrder({ postOrderRequest: { symbol, qty: entry.filledQty!, side: 'sell', type: 'limit', limitPrice: target, timeInForce: 'gtc', clientOrderId: `bot-${run}-${round}-out` } });
      log(`round ${round}: bought ${entry.filledQty} at ${entry.filledAvgPrice}; offered at ${target}, out below ${floor.toFixed(2)}`);

      for (;;) {
        if (aborted()) {
          await orders.deleteOrderByOrderID({ orderId: exit.id! }).catch(() => undefined);
          log('stopped: the working sell is canceled, the position kept');
          return rounds;
        }
        const now = await orders.getOrderByOrderID({ orderId: exit.id! });
        if (now.status === 'filled') {
          rounds.push({ entry: entryPrice, exit: Number(now.filledAvgPrice), qty: bought, how: 'take' });
          break;
        }
        // Alpaca names a crypto position BTCUSD, without its slash.
        // No position: the offer filled since the look above; the next look sees it.
        const position = await positions.getOpenPosition({ symbolOrAssetId: symbol.replace('/', '') }).catch((error: { status?: number }) => {
          if (error.status === 404) return undefined;
          throw error;
        });
        if (position && Number(position.currentPrice) <= floor) {
          // Cancel the offer first: it holds what the close sells. It may have filled since the look above, in part or whole.
          await orders.deleteOrderByOrderID({ orderId: exit.id! }).catch(() => undefined);
          const offer = await settled(orders, exit.id!, options.pollMs, signal);
          const sold = Number(offer.filledQty ?? 0);
          if (sold >= bought) {
            rounds.push({ entry: entryPrice, exit: Number(offer.filledAvgPrice), qty: bought, how: 'take' });
            break;
          }
          const out = await positions.deleteOpenPosition({ symbolOrAssetId: symbol.replace('/', ''), qty: Number((bought - sold).toFixed(9)) });
          const closed = await settled(orders, out.id!, options.pollMs, signal);
          const closedQty = Number(closed.filledQty ?? 0);
          const exitPrice = (sold * Number(offer.filledAvgPrice ?? 0) + closedQty * Number(closed.filledAvgPrice ?? 0)) / (sold + closedQty);
          rounds.push({ entry: entryPrice, exit: exitPrice, qty: sold + closedQty, how: 'stop' });
          break;
        }
        await pause(options.pollMs, signal);
      }
      const last = rounds.at(-1)!;
      log(`round ${round}: ${last.how === 'take' ? 'took profit' : 'stopped out'} at ${last.exit.toFixed(2)}: ${signed((last.exit - last.entry) * last.qty)}`);
    }
  } finally {
    stream.disconnect();
  }
  log(`done: ${rounds.length} round(s), ${signed(rounds.reduce((sum, r) => sum + (r.exit - r.entry) * r.qty, 0))}`);
  return rounds;
}

const ended = (order: trading.Order): boolean => ['filled', 'canceled', 'expired', 'rejected'].includes(order.status ?? '');

/** The order once it has stopped changing (filled, or ended with what it got), or as it is when the bot is stopped. */
async function settled(orders: trading.OrdersApi, id: string, pollMs: number, signal: AbortSignal | undefined): Promise<trading.Order> {
  for (;;) {
    const order = await orders.getOrderByOrderID({ orderId: id });
    if (ended(order) || signal?.aborted) return order;
    await pause(pollMs, signal);
  }
}

const pause = (ms: number, signal: AbortSignal | undefined): Promise<void> => sleep(ms, undefined, signal ? { signal } : {}).catch(() => undefined);
const signed = (dollars: number): string => `${dollars < 0 ? '-' : '+'}$${Math.abs(dollars).toFixed(2)}`;

export type BotArgs = Pick<BotOptions, 'symbol' | 'qty' | 'take' | 'stop' | 'rounds'>;

/** The command line read, or what is wrong with it: said before anything is bought, not after. */
export function readArgs(args: string[]): BotArgs | string {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      options: { qty: { type: 'string', default: '1' }, take: { type: 'string', default: '0.002' }, stop: { type: 'string', default: '0.002' }, rounds: { type: 'string', default: '3' } },
    });
  } catch (error) {
    return (error as Error).message;
  }
  const { values, positionals } = parsed;
  if (!/^\d*\.?\d+$/.test(values.qty) || !(Number(values.qty) > 0)) return `--qty must be a number above 0, such as 1 or 0.01, got "${values.qty}"`;
  for (const name of ['take', 'stop'] as const) {
    const fraction = Number(values[name]);
    if (!(fraction > 0 && fraction < 1)) return `--${name} must be a fraction above 0 and below 1 (0.002 is 0.2%), got "${values[name]}"`;
  }
  const rounds = Number(values.rounds);
  if (!Number.isInteger(rounds) || rounds < 1) return `--rounds must be a whole number of 1 or more, got "${values.rounds}"`;
  return { symbol: positionals[0] ?? 'SPY', qty: values.qty, take: Number(values.take), stop: Number(values.stop), rounds };
}

async function main(): Promise<void> {
  const args = readArgs(process.argv.slice(2));
  if (typeof args === 'string') {
    console.error(args);
    process.exit(2);
  }
  const keyId = process.env.APCA_API_KEY_ID;
  const secret = process.env.APCA_API_SECRET_KEY;
  if (!keyId || !secret) {
    console.error('Set APCA_API_KEY_ID and APCA_API_SECRET_KEY (for paper-trader: the pair `paper-trader api-keys` shows).');
    process.exit(2);
  }
  const controller = new AbortController();
  process.once('SIGINT', () => controller.abort());
  await runBot({
    baseUrl: process.env.APCA_API_BASE_URL ?? 'https://paper-api.alpaca.markets',
    keyId,
    secret,
    ...args,
    pollMs: 1_000,
    log: (line) => console.log(`${new Date().toISOString().slice(11, 19)} ${line}`),
    signal: controller.signal,
  });
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error: unknown) => {
    // Alpaca's client rejects with the status, Alpaca's code and its message.
    const { status, code, message } = error as { status?: number; code?: number; message?: string };
    console.error(status ? `Alpaca's API answered ${status} (${code}): ${message}` : `the bot stopped: ${message ?? String(error)}`);
    process.exit(1);
  });
}
