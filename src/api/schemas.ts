// zod schemas for what clients send: strategy bodies and query strings (order bodies go through the
// engine's one order schema). Each failure becomes one 400 sentence that names the field.
import { z } from 'zod';
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
