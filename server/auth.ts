// Dashboard accounts and sessions: better-auth on our drizzle database (email + password,
// hashed passwords, HTTP-only session cookies). Each new account gets its own workspace.
import { betterAuth } from 'better-auth';
import { drizzleAdapter } from 'better-auth/adapters/drizzle';
import type { Db } from '../drizzle/db';
import { account, session, user, verification } from '../drizzle/schema';

export interface AuthOptions {
  db: Db;
  secret: string;
  baseURL: string;
  trustedOrigins: string[];
  onUserCreated: (u: { id: string; name: string; email: string }) => Promise<void>;
}

export function createAuth(o: AuthOptions) {
  return betterAuth({
    database: drizzleAdapter(o.db, { provider: 'pg', schema: { user, session, account, verification } }),
    secret: o.secret,
    baseURL: o.baseURL,
    trustedOrigins: o.trustedOrigins,
    emailAndPassword: { enabled: true, minPasswordLength: 8, maxPasswordLength: 128, autoSignIn: true },
    session: { expiresIn: 60 * 60 * 24 * 30, updateAge: 60 * 60 * 24 },
    databaseHooks: { user: { create: { after: async (u) => o.onUserCreated(u) } } },
    // Tests and benchmarks sign up many accounts from one address.
    rateLimit: { enabled: process.env.NODE_ENV === 'production' && !process.env.PORCHLIGHT_NO_RATE_LIMIT },
    telemetry: { enabled: false },
  });
}

export type Auth = ReturnType<typeof createAuth>;
