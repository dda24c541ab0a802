// What a dashboard password must be: long enough, and not one that attackers try first.
// The list (~49k leaked passwords, MIT) ships in @zxcvbn-ts/language-common, so it works offline.
import { dictionary } from '@zxcvbn-ts/language-common';

export const MIN_PASSWORD_LENGTH = 10;
export const MAX_PASSWORD_LENGTH = 128;

export type PasswordProblem = { code: 'PASSWORD_TOO_SHORT' | 'PASSWORD_TOO_LONG' | 'PASSWORD_TOO_COMMON'; message: string };

let common: Set<string> | null = null;
function commonPasswords(): Set<string> {
  // Shorter entries already fail the length rule; case does not make a listed password safe.
  common ??= new Set(dictionary['passwords-common'].filter((p) => p.length >= MIN_PASSWORD_LENGTH).map((p) => p.toLowerCase()));
  return common;
}

export function passwordProblem(password: string): PasswordProblem | null {
  if (password.length < MIN_PASSWORD_LENGTH) return { code: 'PASSWORD_TOO_SHORT', message: `Use at least ${MIN_PASSWORD_LENGTH} characters.` };
  if (password.length > MAX_PASSWORD_LENGTH) return { code: 'PASSWORD_TOO_LONG', message: `Use at most ${MAX_PASSWORD_LENGTH} characters.` };
  if (commonPasswords().has(password.toLowerCase())) {
    return { code: 'PASSWORD_TOO_COMMON', message: 'This password is too common: attackers try it first. Choose another one.' };
  }
  return null;
}
