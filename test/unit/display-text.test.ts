// Visitor-supplied text cannot impersonate other text on the dashboard: reordering and invisible
// characters are dropped for display (the stored value is untouched), scripts that need joiners keep them.
import { describe, expect, it } from 'vitest';
import { clip, displayName } from '../../app/live/format';
import { visitorLabel } from '../../server/chat/friendly-name';
import { displayText } from '../../server/text/display-text';

describe('visitor text on the dashboard', () => {
  it('a right-to-left override cannot turn a reversed address into a trusted-looking one', () => {
    // Rendered with the override, "\u202Emoc.elgoog@ana" reads as "ana@google.com".
    expect(displayText('\u202Emoc.elgoog@ana')).toBe('moc.elgoog@ana');
    expect(displayText('a\u2066b\u2069c\u200Fd\u061Ce')).toBe('abcde');
  });
  it('zero-width spaces, BOMs, NUL and other controls go; line breaks, ZWJ emoji and ZWNJ scripts stay', () => {
    expect(displayText('Ad\u200Bmin\uFEFF\u0000\u0007 Team')).toBe('Admin Team');
    expect(displayText('line one\nline two\ttab')).toBe('line one\nline two\ttab');
    expect(displayText('👨\u200D👩\u200D👧')).toBe('👨\u200D👩\u200D👧');
    expect(displayText('می\u200Cخواهم')).toBe('می\u200Cخواهم');
  });
  it('every place the dashboard shows a visitor name goes through it', () => {
    expect(clip('\u202Egnp.exe', 80)).toBe('gnp.exe');
    expect(displayName({ identity: { name: '\u200B\u200B', email: 'a\u202E@b.c', attributes: {} } })).toBe('a@b.c');
    expect(visitorLabel('visitor-1', '\u0000')).not.toBe('\u0000');
    expect(visitorLabel('visitor-1', 'Ana\u202E')).toBe('Ana');
  });
  it('the length cap counts what is shown', () => {
    expect(clip(`${'\u200B'.repeat(50)}abc`, 5)).toBe('abc');
  });
});
