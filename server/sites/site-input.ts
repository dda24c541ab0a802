// Validation of the site form, shared by the HTTP handlers and the seed. The chat settings are
// optional: a request without them (creating a site, the seed, an API client) leaves them as they are.
import { z } from 'zod';
import { normalizeOrigin } from './origins';

/** The longest chat greeting (characters). */
export const CHAT_GREETING_MAX = 500;
/** How many origins a site may allow. */
export const MAX_ALLOWED_ORIGINS = 20;

export const SiteInputSchema = z.object({
  name: z.string().trim().min(1, 'Name is required').max(80, 'Name is at most 80 characters'),
  allowedOrigins: z
    .array(z.string().max(300))
    .min(1, 'Add at least one allowed origin')
    .max(MAX_ALLOWED_ORIGINS, `At most ${MAX_ALLOWED_ORIGINS} origins`)
    .transform((list, ctx) => {
      // Every invalid line is reported (one issue each), not only the first.
      const out: string[] = [];
      let bad = 0;
      for (const raw of list) {
        const o = normalizeOrigin(raw);
        if (!o) {
          bad++;
          ctx.addIssue({ code: 'custom', message: `"${raw.slice(0, 60)}" is not an origin like https://example.com` });
        } else if (!out.includes(o)) out.push(o);
      }
      return bad ? z.NEVER : out;
    }),
  /** The chat panel's first line; empty means no greeting. */
  chatGreeting: z
    .string()
    .max(2_000)
    .transform((g) => g.replace(/\r\n?/g, '\n').trim())
    .refine((g) => g.length <= CHAT_GREETING_MAX, `The greeting is at most ${CHAT_GREETING_MAX} characters`)
    .optional(),
  /** Agents see what visitors type before they send it. */
  chatSneakPeek: z.boolean().optional(),
});

