// zod schemas for what clients send: order and strategy bodies, query strings. Each failure
// becomes one 400 sentence that names the field and says what is expected.
import { z } from 'zod';
import type { OrderRequest } from '../engine/index.ts';
import { ApiError, showValue } from './api-error.ts';

const DECIMAL = /^\d+(\.\d+)?$/;

/** A JSON number or a decimal string, normalised to a decimal string so money never goes through floats. */
const decimal = (field: string, example: string) =>
  z
    .union([z.number(), z.string()], {
      error: (issue) =>
        issue.input === undefined ? `"${field}" is required: give a positive decimal such as ${example}` : `"${field}" must be a number or a decimal string such as ${example}`,
    })
    .transform((value, ctx) => {
      const text = typeof value === 'number' ? numberText(value) : value.trim();
      if (text === undefined || !DECIMAL.test(text)) {
        ctx.addIssue({ code: 'custom', message: `"${field}" must be a plain positive decimal such as ${example}, got ${showValue(value)}` });
        return z.NEVER;
      }
      if (!/[1-9]/.test(text)) {
        ctx.addIssue({ code: 'custom', message: `"${field}" must be greater than 0, got ${showValue(value)}` });
        return z.NEVER;
      }
      return text;
    });

/** Whole numbers past 2^53 were already rounded by JSON.parse: ask for a string rather than trade a different number. */
function numberText(value: number): string | undefined {
  if (!Number.isFinite(value) || (Number.isInteger(value) && !Number.isSafeInteger(value))) return undefined;
  return String(value);
}

const oneOf = <T extends readonly [string, ...string[]]>(field: string, values: T) =>
  z.enum(values, {
    error: (issue) =>
      issue.input === undefined ? `"${field}" is required: one of ${values.join(', ')}` : `"${field}" must be one of ${values.join(', ')}, got ${showValue(issue.input)}`,
  });

const optionalDecimal = (field: string, example: string) => decimal(field, example).nullish();

export const orderBodySchema = z
  .strictObject({
    symbol: z
      .string({ error: (issue) => (issue.input === undefined ? '"symbol" is required: the ticker to trade, such as "AAPL"' : '"symbol" must be a string such as "AAPL"') })
      .trim()
      .min(1, { error: '"symbol" must not be empty: give a ticker such as "AAPL"' })
      .max(32, { error: '"symbol" is too long: give a ticker such as "AAPL" or "X:BTCUSD"' }),
    qty: decimal('qty', '10 or "0.5"'),
    side: oneOf('side', ['buy', 'sell']),
    order_type: oneOf('order_type', ['market', 'limit', 'stop', 'stop_limit']).optional(),
    limit_price: optionalDecimal('limit_price', '187.25 or "187.25"'),
    stop_price: optionalDecimal('stop_price', '180 or "180.00"'),
    time_in_force: oneOf('time_in_force', ['day', 'gtc', 'ioc', 'fok']).optional(),
    client_order_id: z.string({ error: '"client_order_id" must be a string' }).max(64, { error: '"client_order_id" must be at most 64 characters' }).optional(),
  }, { error: (issue) => (issue.code === 'invalid_type' ? 'The body must be a JSON object such as {"symbol": "AAPL", "qty": 10, "side": "buy", "order_type": "market"}' : undefined) });

export type OrderBody = z.infer<typeof orderBodySchema>;

/** The HTTP body in the engine's own terms; the engine still judges it (symbol, tick, buying power). */
export function toOrderRequest(body: OrderBody): OrderRequest {
  const request: OrderRequest = { symbol: body.symbol, side: body.side, qty: body.qty, type: body.order_type ?? 'market' };
  if (body.limit_price != null) request.limitPrice = body.limit_price;
  if (body.stop_price != null) request.stopPrice = body.stop_price;
  if (body.time_in_force !== undefined) request.timeInForce = body.time_in_force;
  if (body.client_order_id !== undefined) request.clientOrderId = body.client_order_id;
  return request;
}

export const strategyBodySchema = z.strictObject(
  {
    name: z.union([z.string().trim().min(1).max(64), z.null()], {
      error: (issue) =>
        issue.input === undefined ? '"name" is required: a strategy name such as "sma-crossover", or null to stop the strategy' : '"name" must be a strategy name such as "sma-crossover", or null to stop the strategy',
    }),
    params: z.record(z.string(), z.unknown(), { error: '"params" must be a JSON object such as {"short_window": 10}' }).optional(),
  },
  { error: (issue) => (issue.code === 'invalid_type' ? 'The body must be a JSON object such as {"name": "sma-crossover", "params": {}}' : undefined) },
);

export const tradesQuerySchema = z.object({
  limit: z
    .string()
    .regex(/^[1-9]\d{0,6}$/, { error: '"limit" must be a whole number from 1 to 9999999' })
    .transform(Number)
    .optional(),
});

export const ordersQuerySchema = z.object({
  status: oneOf('status', ['open', 'all']).optional(),
});

/** Parses or throws a 400 ApiError whose message is the first problem, in one sentence. */
export function parseOrThrow<T extends z.ZodType>(schema: T, input: unknown): z.output<T> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  throw new ApiError(400, 'validation_failed', describeIssue(result.error.issues[0]));
}

function describeIssue(issue: z.core.$ZodIssue | undefined): string {
  if (!issue) return 'The request is not valid.';
  if (issue.code === 'unrecognized_keys') {
    const keys = issue.keys.map(showValue).join(', ');
    return `Unknown field ${keys}: check the spelling against the API description (docs/openapi.json).`;
  }
  const field = issue.path.length > 0 ? issue.path.map(String).join('.') : '';
  // Our own messages name their field; zod's defaults get the field put in front.
  const message = issue.message.includes('"') || field === '' ? issue.message : `"${field}": ${issue.message}`;
  return /[.!?]$/.test(message) ? message : `${message}.`;
}
