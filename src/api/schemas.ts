// zod schemas for what clients send: strategy bodies and query strings (order bodies go through the
// engine's one order schema). Each failure becomes one 400 sentence that names the field.
import { z } from 'zod';
import type { HistoryCursor } from '../engine/index.ts';
import { MAX_PAGE } from '../engine/history-page.ts';
import { ApiError, showValue } from './api-error.ts';

const oneOf = <T extends readonly [string, ...string[]]>(field: string, values: T) =>
  z.enum(values, {
    error: (issue) =>
      issue.input === undefined ? `"${field}" is required: one of ${values.join(', ')}` : `"${field}" must be one of ${values.join(', ')}, got ${showValue(issue.input)}`,
  });

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

/** after / until: an id of the listed kind (o-12, f-7), a Unix time in ms, or an ISO 8601 time. */
const cursor = (field: string, prefix: 'o' | 'f') =>
  z
    .string()
    .transform((text, ctx): HistoryCursor => {
      const value = text.trim();
      if (new RegExp(`^${prefix}-[1-9]\\d{0,15}$`).test(value)) return { id: value };
      if (/^\d{1,16}$/.test(value)) return { time: Number(value) };
      const time = /^\d{4}-\d{2}-\d{2}/.test(value) ? Date.parse(value) : Number.NaN;
      if (Number.isFinite(time)) return { time };
      ctx.addIssue({ code: 'custom', message: `"${field}" must be an id such as ${prefix}-12, a time in Unix ms, or an ISO 8601 time such as 2026-12-01T14:30:00Z, got ${showValue(text)}` });
      return z.NEVER;
    })
    .optional();

const pageQuery = (prefix: 'o' | 'f') => ({
  limit: z
    .string()
    .regex(/^[1-9]\d{0,4}$/, { error: `"limit" must be a whole number from 1 to ${MAX_PAGE}` })
    .transform(Number)
    .refine((limit) => limit <= MAX_PAGE, { error: `"limit" must be a whole number from 1 to ${MAX_PAGE}` })
    .optional(),
  after: cursor('after', prefix),
  until: cursor('until', prefix),
  direction: oneOf('direction', ['asc', 'desc'] as const).optional(),
});

export const tradesQuerySchema = z.object(pageQuery('f'));

export const ordersQuerySchema = z.object({
  status: oneOf('status', ['open', 'closed', 'all'] as const).optional(),
  ...pageQuery('o'),
});

export const metricsQuerySchema = z.object({
  /** A yearly fraction: 0.04 is 4%. */
  risk_free_rate: z
    .string()
    .regex(/^\d+(\.\d+)?$/, 'must be a yearly fraction such as 0.04 (for 4%)')
    .transform(Number)
    .refine((rate) => rate < 1, 'must be a yearly fraction below 1, such as 0.04 (for 4%)')
    .optional(),
});

/** Parses or throws a 400 ApiError whose message is the first problem, in one sentence. */
export const alertBodySchema = z.strictObject({
  symbol: z.string({ error: '"symbol" is required: a ticker such as AAPL, X:BTCUSD or C:EURUSD' }),
  kind: z.enum(['above', 'below', 'fill'], { error: '"kind" must be above, below or fill' }),
  price: z.union([z.string(), z.number()]).optional(),
});

export const candlesQuerySchema = z.object({
  range: z.enum(['1D', '5D', '1M'], { error: '"range" must be 1D, 5D or 1M' }).default('1D'),
});

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
