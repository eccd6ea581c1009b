import { z } from 'zod';
import { normalizeTagList } from '../../domain/articles/tags';
import { boundedInt, MAX_OFFSET } from '../pagination';
import { findLimitViolation } from '../../domain/markdown';
import { ACCOUNT_NAME_MESSAGE, isValidSteemAccountName } from '../../domain/accounts';
import { AssetParseError, parseSteem } from '../../domain/money';

/** Steem's comment size limit; Inkwell articles fit on chain. */
export const MAX_BODY_BYTES = 64 * 1024;

const title = z.string().trim().min(1, "can't be blank").max(255, 'is too long (at most 255 characters)');
const description = z.string().trim().max(1000, 'is too long (at most 1000 characters)');
export const markdownBody = z
  .string()
  .min(1, "can't be blank")
  .refine((body) => Buffer.byteLength(body, 'utf8') <= MAX_BODY_BYTES, `is too long (at most ${MAX_BODY_BYTES} bytes)`);
export const tagList = z
  .array(z.string().max(64, 'entries are too long'))
  .max(50, 'has too many entries')
  .transform((tags, ctx) => {
    const result = normalizeTagList(tags);
    if (!result.ok) {
      ctx.addIssue({ code: 'custom', message: result.message });
      return z.NEVER;
    }
    return result.tags;
  });

/** Draft fields may be empty until the draft is published. */
export const draftSchema = z
  .object({
    title: z.string().trim().max(255, 'is too long (at most 255 characters)').optional(),
    description: description.optional(),
    body: z
      .string()
      .refine((body) => Buffer.byteLength(body, 'utf8') <= MAX_BODY_BYTES, `is too long (at most ${MAX_BODY_BYTES} bytes)`)
      // A draft is rendered only when published; a body that could never be is refused when saved.
      .superRefine((body, ctx) => {
        const violation = findLimitViolation(body);
        if (violation) ctx.addIssue({ code: 'custom', message: violation.message });
      })
      .optional(),
    tagList: tagList.optional(),
    publishAt: z.iso.datetime({ offset: true, message: 'must be an ISO 8601 date-time' }).transform((v) => new Date(v)).nullable().optional(),
  })
  .strict();

const steemAccountName = z.string().refine(isValidSteemAccountName, ACCOUNT_NAME_MESSAGE);
/** At most 12 whole digits of STEEM, as before the money module parsed it. */
const MAX_STEEM_AMOUNT = 10n ** 15n - 1n;
const STEEM_AMOUNT_MESSAGE = 'must be an amount like "10.000 STEEM"';
/** A STEEM asset string → its integer amount (0.001 STEEM = 1) as a decimal string; a bad one is a 422 field error. */
const steemAmount = z.string().transform((value, ctx) => {
  try {
    const amount = parseSteem(value);
    if (amount >= 0n && amount <= MAX_STEEM_AMOUNT) return amount.toString();
  } catch (error) {
    if (!(error instanceof AssetParseError)) throw error;
  }
  ctx.addIssue({ code: 'custom', message: STEEM_AMOUNT_MESSAGE });
  return z.NEVER;
});

/** Payout options (Steem's comment_options); beneficiaries are checked against the policy by the command. */
export const payoutOptionsSchema = z.object({
  beneficiaries: z.array(z.object({ account: steemAccountName, weight: z.number().int().min(1).max(10000) }).strict()).max(127).optional(),
  maxAcceptedPayout: steemAmount.optional(),
  percentLiquid: z.number().int().min(0).max(10000).optional(),
  allowVotes: z.boolean().optional(),
  allowCurationRewards: z.boolean().optional(),
  declinePayout: z.boolean().optional(),
});

export const createArticleSchema = z.object({
  article: z.object({ title, description: description.default(''), body: markdownBody, tagList: tagList.default([]) }).extend(payoutOptionsSchema.shape),
});

export const updateArticleSchema = z.object({
  article: z
    .object({ title: title.optional(), description: description.optional(), body: markdownBody.optional(), tagList: tagList.optional() })
    .refine((a) => Object.values(a).some((v) => v !== undefined), 'must change at least one field'),
});

const queryText = z.string().trim().min(1).max(64);
/** Longest `?q=` search, in characters. */
export const MAX_SEARCH_LENGTH = 200;

export const listQuerySchema = z.object({
  sort: z.enum(['created', 'trending', 'hot', 'payout']).default('created'),
  tag: queryText.optional(),
  author: queryText.optional(),
  favorited: queryText.optional(),
  q: z
    .string()
    .trim()
    .min(1)
    .max(MAX_SEARCH_LENGTH)
    .optional()
    .describe('full-text search: words, "a phrase", -excluded; results by relevance, then newest'),
  offset: boundedInt(0, MAX_OFFSET, 0),
  limit: boundedInt(1, 100, 20),
});

export const feedQuerySchema = listQuerySchema.pick({ offset: true, limit: true });


/** `/api/articles/:slug…`: the article's current slug, or one it had before a title change. */
export const articleParams = z.object({ slug: z.string().describe('The article’s slug') });
