// The site form's chat settings (server/sites/site-input.ts): optional, so creating a site or
// saving without them leaves them alone; the greeting is trimmed and capped at 500 characters.
import { describe, expect, it } from 'vitest';
import { CHAT_GREETING_MAX, SiteInputSchema } from '../../server/sites/site-input';

const base = { name: 'Shop', allowedOrigins: ['https://shop.example'] };

describe('site chat settings', () => {
  it('are optional: absent means "leave as it is"', () => {
    expect(SiteInputSchema.parse(base)).toEqual(base);
  });

  it('take a greeting (trimmed, line breaks normalized) and the sneak peek switch', () => {
    expect(SiteInputSchema.parse({ ...base, chatGreeting: '  Hi there!\r\nAsk away.  ', chatSneakPeek: false })).toEqual({
      ...base,
      chatGreeting: 'Hi there!\nAsk away.',
      chatSneakPeek: false,
    });
    expect(SiteInputSchema.parse({ ...base, chatGreeting: '   ' }).chatGreeting).toBe('');
  });

  it('refuse a greeting over 500 characters, and a sneak peek that is not a boolean', () => {
    expect(SiteInputSchema.safeParse({ ...base, chatGreeting: 'x'.repeat(CHAT_GREETING_MAX) }).success).toBe(true);
    const long = SiteInputSchema.safeParse({ ...base, chatGreeting: 'x'.repeat(CHAT_GREETING_MAX + 1) });
    expect(long.success).toBe(false);
    expect(long.error?.issues[0]).toMatchObject({ path: ['chatGreeting'], message: 'The greeting is at most 500 characters' });
    expect(SiteInputSchema.safeParse({ ...base, chatSneakPeek: 'yes' }).success).toBe(false);
    expect(SiteInputSchema.safeParse({ ...base, chatGreeting: 42 }).success).toBe(false);
  });
});
