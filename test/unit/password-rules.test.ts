// Dashboard password rules (server/password-rules.ts).
import { describe, expect, it } from 'vitest';
import { passwordProblem } from '../../server/password-rules';

describe('password rules', () => {
  it('wants at least 10 characters', () => {
    expect(passwordProblem('abcdefgh9')).toMatchObject({ code: 'PASSWORD_TOO_SHORT', message: 'Use at least 10 characters.' });
    expect(passwordProblem('x'.repeat(129))).toMatchObject({ code: 'PASSWORD_TOO_LONG' });
  });

  it('refuses well-known passwords, whatever their case', () => {
    for (const p of ['password1234', 'qwertyuiop', '1234567890', 'Password123', 'BASKETBALL']) {
      expect(passwordProblem(p), p).toMatchObject({ code: 'PASSWORD_TOO_COMMON', message: expect.stringContaining('too common') });
    }
  });

  it('accepts a long, uncommon one', () => {
    expect(passwordProblem('porch-light-window-42')).toBeNull();
    expect(passwordProblem('correct-horse-battery')).toBeNull(); // the test helpers' password
  });
});
