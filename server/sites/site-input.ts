// Validation of the site form, shared by the HTTP handlers and the seed.
import { z } from 'zod';
import { normalizeOrigin } from './origins';

export const SiteInputSchema = z.object({
  name: z.string().trim().min(1, 'Name is required').max(80, 'Name is at most 80 characters'),
  allowedOrigins: z
    .array(z.string().max(300))
    .min(1, 'Add at least one allowed origin')
    .max(20, 'At most 20 origins')
    .transform((list, ctx) => {
      const out: string[] = [];
      for (const raw of list) {
        const o = normalizeOrigin(raw);
        if (!o) {
          ctx.addIssue({ code: 'custom', message: `"${raw.slice(0, 60)}" is not an origin like https://example.com` });
          return z.NEVER;
        }
        if (!out.includes(o)) out.push(o);
      }
      return out;
    }),
});
