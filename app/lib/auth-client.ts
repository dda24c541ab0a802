'use client';
// The browser side of better-auth. The server mounts it at /api/auth on the same origin,
// so no base URL is needed; the session lives in an HTTP-only cookie.
import { createAuthClient } from 'better-auth/react';

export const authClient = createAuthClient();
