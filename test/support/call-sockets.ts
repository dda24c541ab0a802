// The calls tests' world: a server with short ring and resume-grace timeouts (see
// workspace-sockets.ts for the people and sites), and the moves every calls test makes: an
// agent's dashboard, a visitor's tab, ringing, an answered call, and the call's record.
import { eq } from 'drizzle-orm';
import { call as callTable } from '../../drizzle/schema';
import type { Ack, AgentCall, CallInvite, IceConfig } from '../../server/protocol';
import type { TestDbKind } from './db';
import { ask, agentSocket, connected, handshake, nextEvent, sleep, visitorSocket, type Account, type AgentSocket, type VisitorSocket } from './server';
import { ORIGIN, useWorkspaceSockets, type WorkspaceSockets } from './workspace-sockets';

export { ORIGIN };
export const RING_MS = 2_500;
export const GRACE_MS = 1_000;

export interface CallSockets extends WorkspaceSockets {
  agent(a: Account): Promise<AgentSocket>;
  visitor(o?: { key?: string; origin?: string; auth?: ReturnType<typeof handshake> }): Promise<{ s: VisitorSocket; auth: ReturnType<typeof handshake> }>;
  startCall(a: AgentSocket, visitorId: string, siteId?: string): Promise<Ack<{ call: AgentCall }>>;
  /** Agent rings, visitor accepts: the two sockets of an answered call. */
  answered(): Promise<{ a: AgentSocket; v: { s: VisitorSocket; auth: ReturnType<typeof handshake> }; callId: string; resumeToken: string }>;
  /** The call's row once its writer has ended it. */
  record(callId: string): Promise<typeof callTable.$inferSelect | undefined>;
}

/** Registers the describe block's hooks; the fields are there once beforeAll has run. */
export function useCallSockets(kind: TestDbKind): CallSockets {
  const w = useWorkspaceSockets(kind, { benName: 'Ben', env: () => ({ CALL_RING_TIMEOUT_MS: String(RING_MS), CALL_RESUME_GRACE_MS: String(GRACE_MS) }) }) as CallSockets;

  w.agent = async (a) => {
    const s = w.track(agentSocket(w.server.url, a.cookie));
    await connected(s);
    return s;
  };
  w.visitor = async (o = {}) => {
    const auth = o.auth ?? handshake();
    const s = w.track(visitorSocket(w.server.url, { key: o.key ?? w.site.publicKey, origin: o.origin ?? ORIGIN, auth }));
    await connected(s);
    return { s, auth };
  };
  w.startCall = async (a, visitorId, siteId = w.site.id) => ask<{ call: AgentCall }>(a, 'call:start', { siteId, visitorId, video: true });
  w.answered = async () => {
    const a = await w.agent(w.ana);
    const v = await w.visitor();
    const invited = nextEvent<CallInvite>(v.s, 'call:invite');
    const started = await w.startCall(a, v.auth.visitorId);
    if (!started.ok) throw new Error(started.code);
    const callId = started.call.callId;
    await invited;
    const accepted = nextEvent<{ callId: string; ice: IceConfig }>(a, 'call:accepted');
    const res = await ask<{ ice: IceConfig; resumeToken: string }>(v.s, 'call:accept', { callId, media: { audio: true, video: true } });
    if (!res.ok) throw new Error(res.code);
    await accepted;
    return { a, v, callId, resumeToken: res.resumeToken };
  };
  w.record = async (callId) => {
    // Records are written off the signaling path: wait for the writer.
    for (let i = 0; i < 50; i++) {
      const [row] = await w.database.db.select().from(callTable).where(eq(callTable.id, callId));
      if (row?.endedAt) return row;
      await sleep(50);
    }
    const [row] = await w.database.db.select().from(callTable).where(eq(callTable.id, callId));
    return row;
  };
  return w;
}
