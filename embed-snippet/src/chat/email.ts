// The email a visitor leaves when nobody is online ("we'll reply by email"). Checked with the
// same rule as the server's validation (zod's email(), at most 254 characters), so an address
// this accepts is never refused as bad_request after the visitor pressed send.
const EMAIL_RE = /^(?:[A-Za-z0-9_'+\-]+\.)*[A-Za-z0-9_'+\-]*[A-Za-z0-9_+-]@(?:[A-Za-z0-9][A-Za-z0-9\-]*\.)+[A-Za-z]{2,}$/;

/** The address as it will be sent (surrounding whitespace removed), or null when it is not valid. */
export function cleanEmail(input: string): string | null {
  const email = input.trim();
  return email.length <= 254 && EMAIL_RE.test(email) ? email : null;
}
