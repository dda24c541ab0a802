// Visitor-supplied text (names, emails, page titles, messages) as the dashboard shows it: without
// the invisible characters that change how the text around them reads. A right-to-left override
// can make "moc.elgoog@" read as "@google.com", a zero-width space makes two names look equal,
// and NUL or other controls hide the rest of a line. They are dropped for display only; the
// stored value keeps them. ZWJ and ZWNJ stay: emoji sequences and several scripts need them.
const INVISIBLE = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u061C\u200B\u200E\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF]/g;

export function displayText(s: string): string {
  return s.replace(INVISIBLE, '');
}
