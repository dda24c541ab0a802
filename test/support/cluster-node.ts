// One Porchlight process of a test cluster (started by test/support/cluster-process.ts): the
// real server on a free port over PostgreSQL (DATABASE_URL) and Redis (REDIS_URL), without the
// Next dashboard. Prints one line saying where it listens; a test may kill it with SIGKILL.
import { openDatabase } from '../../drizzle/db';
import { startTestServer } from './server';

async function main(): Promise<void> {
  const url = process.env.DATABASE_URL;
  const redis = process.env.REDIS_URL;
  if (!url || !redis) throw new Error('cluster-node needs DATABASE_URL and REDIS_URL');
  const database = await openDatabase({ url });
  // More settings for this node as a JSON object (e.g. PUBLIC_URL, TRUSTED_PROXIES behind a proxy):
  // named explicitly so a variable that happens to be set in the test's shell never leaks in.
  const extra = JSON.parse(process.env.CLUSTER_NODE_CONFIG ?? '{}') as Record<string, string>;
  const server = await startTestServer(database, {
    REDIS_URL: redis,
    // Every node of the test cluster in one namespace (the test gives it a Redis of its own).
    REDIS_PREFIX: process.env.REDIS_PREFIX ?? 'porchlight',
    BETTER_AUTH_SECRET: process.env.BETTER_AUTH_SECRET ?? '',
    PRESENCE_GRACE_MS: process.env.PRESENCE_GRACE_MS ?? '400',
    ...extra,
  });
  console.log(`CLUSTER_NODE_READY ${JSON.stringify({ url: server.url })}`);
  const stop = async () => {
    await server.close();
    await database.close();
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop());
  process.on('SIGINT', () => void stop());
}

main().catch((err: unknown) => {
  console.error('cluster node failed to start', err);
  process.exit(1);
});
