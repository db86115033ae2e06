// Validates goal and funnel definitions (POST/PUT bodies); each refusal names the field and the problem.
import { z } from 'zod';
import { GOAL_KINDS, type FunnelInput, type GoalInput } from '../api-types';
import { MAX_URL_PATTERN_LENGTH, URL_PATTERN_SYNTAX } from '../heatmaps/url-pattern';

export const MAX_GOAL_NAME_LENGTH = 100;
export const MAX_EVENT_NAME_LENGTH = 100;
export const MAX_SELECTOR_LENGTH = 300;
/** Funnels longer than this are several funnels. */
export const MAX_FUNNEL_STEPS = 10;
const STEP_KINDS = ['page', 'event'] as const;

const required = (what: string) => (issue: { input?: unknown }) => (issue.input === undefined ? `${what} is required` : undefined);
const text = (what: string, max: number) =>
  z
    .string({ error: required(what) })
    .trim()
    .min(1, `${what} must not be empty`)
    .max(max, `${what} is longer than ${max} characters`);
const pattern = text('the URL pattern', MAX_URL_PATTERN_LENGTH).regex(
  URL_PATTERN_SYNTAX,
  'the URL pattern must be a path starting with "/", such as /checkout/thanks* ("*" is part of one path segment, "**" any number of them)',
);
const event = text('the event name', MAX_EVENT_NAME_LENGTH);
const selector = text('the form selector', MAX_SELECTOR_LENGTH);
const kindOf = <K extends readonly [string, ...string[]]>(kinds: K, what: string) =>
  z.enum(kinds, {
    error: (issue) => (issue.input === undefined ? `${what} is required (${kinds.join(', ')})` : `unknown ${what} ${JSON.stringify(issue.input)}; valid kinds are ${kinds.join(', ')}`),
  });

const pageDefinition = z.object({ kind: z.literal('page'), pattern });
const eventDefinition = z.object({ kind: z.literal('event'), event });
const formDefinition = z.object({ kind: z.literal('form'), pattern, selector });

/** The kind is read first, so an unknown kind is refused as such rather than as a mismatch of every variant. */
const goalDefinition = z
  .looseObject({ kind: kindOf(GOAL_KINDS, 'goal kind') })
  .pipe(z.discriminatedUnion('kind', [pageDefinition, eventDefinition, formDefinition]));

export const goalInput = z.object({ name: text('the name', MAX_GOAL_NAME_LENGTH) }).and(goalDefinition) as unknown as z.ZodType<GoalInput>;

const funnelStep = z.looseObject({ kind: kindOf(STEP_KINDS, 'step kind') }).pipe(z.discriminatedUnion('kind', [pageDefinition, eventDefinition]));

export const funnelInput = z.object({
  name: text('the name', MAX_GOAL_NAME_LENGTH),
  steps: z
    .array(funnelStep, { error: required('steps') })
    .min(2, 'a funnel needs at least 2 steps')
    .max(MAX_FUNNEL_STEPS, `a funnel has at most ${MAX_FUNNEL_STEPS} steps`),
}) as unknown as z.ZodType<FunnelInput>;
