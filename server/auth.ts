// Dashboard accounts and sessions: better-auth on our drizzle database (email + password,
// hashed passwords, HTTP-only session cookies). Each new account gets its own workspace.
import { betterAuth } from 'better-auth';
import { drizzleAdapter } from 'better-auth/adapters/drizzle';
import { APIError, createAuthMiddleware } from 'better-auth/api';
import type { Db } from '../drizzle/db';
import { account, session, user, verification } from '../drizzle/schema';
import { MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH, passwordProblem } from './password-rules';

/**
 * The client address, set by our HTTP server on every auth request (from the socket, or from
 * X-Forwarded-For only behind TRUSTED_PROXIES); any copy a client sends is replaced.
 */
export const CLIENT_IP_HEADER = 'x-porchlight-client-ip';

/** Endpoints that set a password, and the body field holding it. */
const PASSWORD_FIELDS: Record<string, 'password' | 'newPassword'> = {
  '/sign-up/email': 'password',
  '/change-password': 'newPassword',
  '/reset-password': 'newPassword',
  '/set-password': 'newPassword',
};

/**
 * A user's picture (better-auth's `user.image`) is stored inline and sent with dashboard pages:
 * only a small PNG, JPEG or WebP data URL (the Account page makes a 128 x 128 one), or null.
 */
const IMAGE_PATHS = new Set(['/update-user', '/sign-up/email']);
export const MAX_IMAGE_CHARS = 200_000;
const IMAGE_DATA_URL = /^data:image\/(?:png|jpeg|webp);base64,[A-Za-z0-9+/]+={0,2}$/;

export function imageProblem(image: unknown): { code: 'INVALID_IMAGE'; message: string } | null {
  if (image === null) return null;
  if (typeof image === 'string' && image.length <= MAX_IMAGE_CHARS && IMAGE_DATA_URL.test(image)) return null;
  return { code: 'INVALID_IMAGE', message: 'The picture must be a PNG, JPEG or WebP image of at most 200 KB.' };
}

export interface AuthOptions {
  db: Db;
  secret: string;
  baseURL: string;
  trustedOrigins: string[];
  /** Per-address limits on sign-in and sign-up (off only for tests and benchmarks). */
  rateLimit: boolean;
  onUserCreated: (u: { id: string; name: string; email: string }) => Promise<void>;
  /** A session ended (sign-out, revoked, password changed): its sockets must close at once. */
  onSessionEnded?: (s: { id: string; userId: string }) => void;
}

export function createAuth(o: AuthOptions) {
  return betterAuth({
    database: drizzleAdapter(o.db, { provider: 'pg', schema: { user, session, account, verification } }),
    secret: o.secret,
    baseURL: o.baseURL,
    trustedOrigins: o.trustedOrigins,
    emailAndPassword: { enabled: true, minPasswordLength: MIN_PASSWORD_LENGTH, maxPasswordLength: MAX_PASSWORD_LENGTH, autoSignIn: true },
    session: { expiresIn: 60 * 60 * 24 * 30, updateAge: 60 * 60 * 24 },
    // Account page: we send no verification mail, so accounts stay unverified and better-auth's
    // changeEmail updates the address at once (an address another account has is left unchanged).
    user: { changeEmail: { enabled: true, updateEmailWithoutVerification: true } },
    databaseHooks: {
      user: { create: { after: async (u) => o.onUserCreated(u) } },
      session: { delete: { after: async (s) => o.onSessionEnded?.({ id: s.id, userId: s.userId }) } },
    },
    hooks: {
      // Runs before better-auth's own length checks, so the user reads our reason.
      before: createAuthMiddleware(async (ctx) => {
        const body: unknown = ctx.body;
        if (typeof body !== 'object' || body === null) return;
        const fields = body as Record<string, unknown>;
        const field = PASSWORD_FIELDS[ctx.path];
        const password = field ? fields[field] : undefined;
        if (typeof password === 'string') {
          const problem = passwordProblem(password);
          if (problem) throw new APIError('BAD_REQUEST', problem);
        }
        if (IMAGE_PATHS.has(ctx.path) && fields.image !== undefined) {
          const problem = imageProblem(fields.image);
          if (problem) throw new APIError('BAD_REQUEST', problem);
        }
      }),
    },
    // In memory, per process: a cluster allows each process's limit (sessions stay shared).
    rateLimit: {
      enabled: o.rateLimit,
      window: 60,
      max: 300,
      customRules: {
        '/sign-in/email': { window: 60, max: 5 },
        '/sign-up/email': { window: 600, max: 10 },
      },
    },
    advanced: { ipAddress: { ipAddressHeaders: [CLIENT_IP_HEADER] } },
    telemetry: { enabled: false },
  });
}

export type Auth = ReturnType<typeof createAuth>;
