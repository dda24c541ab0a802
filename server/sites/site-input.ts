// Validation of the site form, shared by the HTTP handlers and the seed. The chat settings are
// optional: a request without them (creating a site, the seed, an API client) leaves them as they are.
import { z } from 'zod';
import { LAUNCHER_TEXT_MAX, MAX_OFFSET, WIDGET_LANGUAGES } from '../protocol/widget';
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
  /** The widget's accent colour (launcher, panel header, buttons): #rrggbb, stored lower case. */
  widgetAccent: z
    .string()
    .trim()
    .regex(/^#[0-9a-fA-F]{6}$/, 'The colour is a hex colour like #2563eb')
    .transform((c) => c.toLowerCase())
    .optional(),
  widgetSide: z.enum(['left', 'right'], { message: 'The side is left or right' }).optional(),
  /** px between the bottom of the screen and the launcher. */
  widgetOffset: z
    .number({ message: `The offset is a number of pixels from 0 to ${MAX_OFFSET}` })
    .int(`The offset is a whole number of pixels from 0 to ${MAX_OFFSET}`)
    .min(0, `The offset is from 0 to ${MAX_OFFSET} pixels`)
    .max(MAX_OFFSET, `The offset is from 0 to ${MAX_OFFSET} pixels`)
    .optional(),
  /** Shown on the launcher; empty: the round button, named in the visitor's language. One line. */
  widgetLauncherText: z
    .string({ message: `The launcher text is at most ${LAUNCHER_TEXT_MAX} characters` })
    .max(200, `The launcher text is at most ${LAUNCHER_TEXT_MAX} characters`)
    .transform((t) => t.replace(/\s+/g, ' ').trim())
    .refine((t) => t.length <= LAUNCHER_TEXT_MAX, `The launcher text is at most ${LAUNCHER_TEXT_MAX} characters`)
    .optional(),
  /** `auto`: the visitor's browser language (English when it is not one of these). */
  widgetLanguage: z.enum(['auto', ...WIDGET_LANGUAGES], { message: `The language is auto or one of ${WIDGET_LANGUAGES.join(', ')}` }).optional(),
});

