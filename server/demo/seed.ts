// The demo account and its "Demo Store" site, created on first start so a new user can log in
// and watch the demo website right away. Idempotent: later starts only refresh the origins.
import type { Services } from '../services';

export const DEMO_ACCOUNT = { email: 'demo@porchlight.dev', password: 'porchlight-demo' } as const;

export async function seedDemo(s: Services, origins: string[]) {
  let userId: string;
  try {
    const r = await s.auth.api.signUpEmail({ body: { email: DEMO_ACCOUNT.email, password: DEMO_ACCOUNT.password, name: 'Demo Owner' } });
    userId = r.user.id;
  } catch {
    const r = await s.auth.api.signInEmail({ body: { email: DEMO_ACCOUNT.email, password: DEMO_ACCOUNT.password } });
    userId = r.user.id;
  }
  const ws = await s.team.workspaceOf(userId);
  const existing = (ws ? await s.sites.listForUser(userId, ws.id) : []).find((x) => x.name === 'Demo Store');
  const input = { name: 'Demo Store', allowedOrigins: [...new Set([...(existing?.allowedOrigins ?? []), ...origins])] };
  if (existing) return (await s.sites.update(userId, existing.id, input)) ?? existing;
  return s.sites.create(userId, input);
}
