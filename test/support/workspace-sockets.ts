// A real server and database for socket tests of one describe block: Ana's workspace (Ana, and
// Ben as its agent) with the site Lumen Lamps, Eve's workspace with a site of its own, and the
// sockets a test opens, closed after each test. Registers its own beforeAll/afterEach/afterAll.
import { afterAll, afterEach, beforeAll } from 'vitest';
import type { Database } from '../../drizzle/db';
import { workspaceMember } from '../../drizzle/schema';
import type { Porchlight } from '../../server/main';
import type { TestDbKind } from './db';
import { signUp, sleep, startTestServer, type Account } from './server';

export const ORIGIN = 'https://shop.example';
export const EVE_ORIGIN = 'https://eve.example';

export interface WorkspaceSockets {
  database: Database;
  server: Porchlight;
  ana: Account;
  /** Same workspace as Ana. */
  ben: Account;
  /** Another workspace. */
  eve: Account;
  site: { id: string; publicKey: string };
  eveSite: { id: string; publicKey: string };
  /** Closes the socket after the test. */
  track<T extends { disconnect(): void }>(s: T): T;
}

export interface WorkspaceSocketsOptions {
  /** Ben's sign-up name. */
  benName: string;
  /** The server's environment; a function is called in beforeAll, after `before`. */
  env?: () => Record<string, string>;
  /** Started before the server and stopped after it (an SMTP receiver, say). */
  before?: () => Promise<void>;
  after?: () => Promise<void>;
}

export function useWorkspaceSockets(kind: TestDbKind, o: WorkspaceSocketsOptions): WorkspaceSockets {
  let open: { disconnect(): void }[] = [];
  const w = {
    track: <T extends { disconnect(): void }>(s: T) => (open.push(s), s),
  } as WorkspaceSockets;

  beforeAll(async () => {
    const database = await kind.open();
    w.database = database;
    await o.before?.();
    const server = await startTestServer(database, o.env?.());
    w.server = server;
    w.ana = await signUp(server.url, 'Ana Lima');
    w.ben = await signUp(server.url, o.benName);
    w.eve = await signUp(server.url, 'Eve');
    w.site = await server.services.sites.create(w.ana.userId, { name: 'Lumen Lamps', allowedOrigins: [ORIGIN] });
    w.eveSite = await server.services.sites.create(w.eve.userId, { name: 'Eve Co', allowedOrigins: [EVE_ORIGIN] });
    const ws = await server.services.sites.workspaceOf(w.ana.userId);
    await database.db.insert(workspaceMember).values({ workspaceId: ws!.id, userId: w.ben.userId, role: 'agent' });
    // As joining from an invitation would: Ana's workspace is the one Ben's dashboard shows.
    await server.services.team.switchTo(w.ben.userId, ws!.id);
  });
  afterEach(async () => {
    for (const s of open) s.disconnect();
    open = [];
    await sleep(50);
  });
  afterAll(async () => {
    await w.server?.close();
    await o.after?.();
    await w.database?.close();
  });
  return w;
}
