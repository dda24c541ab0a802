// /readyz: whether the dependencies really answer now (a load balancer stops sending traffic to
// a process whose database or Redis does not), each check bounded in time. /healthz only says
// the process is alive.
export type Check = () => Promise<unknown>;
export type CheckState = 'ok' | 'down' | 'off';

const TIMEOUT_MS = 2_000;

async function probe(check: Check | null): Promise<CheckState> {
  if (!check) return 'off';
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('timed out')), TIMEOUT_MS);
  });
  try {
    const r = await Promise.race([check(), timeout]);
    return r === false ? 'down' : 'ok';
  } catch {
    return 'down';
  } finally {
    clearTimeout(timer);
  }
}

export async function readiness(checks: { db: Check; redis: Check | null }): Promise<{ ok: boolean; db: CheckState; redis: CheckState }> {
  const [db, redis] = await Promise.all([probe(checks.db), probe(checks.redis)]);
  return { ok: db === 'ok' && redis !== 'down', db, redis };
}
