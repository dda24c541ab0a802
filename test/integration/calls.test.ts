// Calls over real socket.io connections to a real server and database: who may ring, accept,
// signal and hang up; what the live table and the call records say afterwards.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import type { Database } from '../../drizzle/db';
import { call as callTable, workspaceMember } from '../../drizzle/schema';
import type { Porchlight } from '../../server/main';
import type { AgentCall, CallEnd, CallInvite, IceConfig, PresenceDiff, VisitorDetails } from '../../server/protocol';
import { testDatabases } from '../support/db';
import { ask, agentSocket, connected, handshake, nextEvent, signUp, sleep, startTestServer, visitorSocket, type Account, type AgentSocket, type VisitorSocket } from '../support/server';

const RING_MS = 2_500;
const GRACE_MS = 1_000;
const ORIGIN = 'https://shop.example';


describe.each(testDatabases())('calls ($name)', (kind) => {
  let database: Database;
  let server: Porchlight;
  let ana: Account;
  let ben: Account; // same workspace as Ana
  let eve: Account; // another workspace
  let site: { id: string; publicKey: string };
  let eveSite: { id: string; publicKey: string };
  let open: { disconnect(): void }[] = [];
  const track = <T extends { disconnect(): void }>(s: T) => (open.push(s), s);

  const agent = async (a: Account) => {
    const s = track(agentSocket(server.url, a.cookie));
    await connected(s);
    return s;
  };
  const visitor = async (o: { key?: string; origin?: string; auth?: ReturnType<typeof handshake> } = {}) => {
    const auth = o.auth ?? handshake();
    const s = track(visitorSocket(server.url, { key: o.key ?? site.publicKey, origin: o.origin ?? ORIGIN, auth }));
    await connected(s);
    return { s, auth };
  };
  const startCall = async (a: AgentSocket, visitorId: string, siteId = site.id) => ask<{ call: AgentCall }>(a, 'call:start', { siteId, visitorId, video: true });
  /** Agent rings, visitor accepts: the two sockets of an answered call. */
  const answered = async () => {
    const a = await agent(ana);
    const v = await visitor();
    const invited = nextEvent<CallInvite>(v.s, 'call:invite');
    const started = await startCall(a, v.auth.visitorId);
    if (!started.ok) throw new Error(started.code);
    const callId = started.call.callId;
    await invited;
    const accepted = nextEvent<{ callId: string; ice: IceConfig }>(a, 'call:accepted');
    const res = await ask<{ ice: IceConfig; resumeToken: string }>(v.s, 'call:accept', { callId, media: { audio: true, video: true } });
    if (!res.ok) throw new Error(res.code);
    await accepted;
    return { a, v, callId, resumeToken: res.resumeToken };
  };
  const record = async (callId: string) => {
    // Records are written off the signaling path: wait for the writer.
    for (let i = 0; i < 50; i++) {
      const [row] = await database.db.select().from(callTable).where(eq(callTable.id, callId));
      if (row?.endedAt) return row;
      await sleep(50);
    }
    const [row] = await database.db.select().from(callTable).where(eq(callTable.id, callId));
    return row;
  };

  beforeAll(async () => {
    database = await kind.open();
    server = await startTestServer(database, { CALL_RING_TIMEOUT_MS: String(RING_MS), CALL_RESUME_GRACE_MS: String(GRACE_MS) });
    ana = await signUp(server.url, 'Ana Lima');
    ben = await signUp(server.url, 'Ben');
    eve = await signUp(server.url, 'Eve');
    site = await server.services.sites.create(ana.userId, { name: 'Lumen Lamps', allowedOrigins: [ORIGIN] });
    eveSite = await server.services.sites.create(eve.userId, { name: 'Eve Co', allowedOrigins: ['https://eve.example'] });
    const ws = await server.services.sites.workspaceOf(ana.userId);
    await database.db.insert(workspaceMember).values({ workspaceId: ws!.id, userId: ben.userId, role: 'agent' });
    // As joining from an invitation would: Ana's workspace is the one Ben's dashboard shows.
    await server.services.team.switchTo(ben.userId, ws!.id);
  });
  afterEach(async () => {
    for (const s of open) s.disconnect();
    open = [];
    await sleep(50);
  });
  afterAll(async () => {
    await server?.close();
    await database?.close();
  });

  it('rings every tab of the visitor with the agent\'s name, initials and the site\'s name, and shows the call in the live table', async () => {
    const a = await agent(ana);
    const auth = handshake();
    const tab1 = await visitor({ auth });
    const tab2 = await visitor({ auth: { ...auth, tabId: `${auth.tabId}b` } });
    const other = await visitor();
    const watch = await ask(a, 'site:watch', { siteId: site.id });
    expect(watch.ok).toBe(true);
    let strayInvite = false;
    other.s.on('call:invite', () => (strayInvite = true));
    const diff = nextEvent<PresenceDiff>(a, 'presence:diff', (d) => d.upserts.some((u) => u.id === auth.visitorId && u.call?.phase === 'ringing'));
    const invites = Promise.all([nextEvent<CallInvite>(tab1.s, 'call:invite'), nextEvent<CallInvite>(tab2.s, 'call:invite')]);
    const started = await startCall(a, auth.visitorId);
    expect(started.ok).toBe(true);
    const [i1, i2] = await invites;
    expect(i1).toEqual(i2);
    expect(i1).toMatchObject({ agent: { name: 'Ana Lima', initials: 'AL' }, company: 'Lumen Lamps', video: true });
    expect(i1.expiresAt - Date.now()).toBeGreaterThan(RING_MS - 1000);
    const row = (await diff).upserts.find((u) => u.id === auth.visitorId);
    expect(row?.call).toMatchObject({ agentName: 'Ana Lima', phase: 'ringing' });
    // Tab 1 accepts: tab 2 stops ringing, the row says "in call".
    const elsewhere = nextEvent<CallEnd>(tab2.s, 'call:ended');
    const inCall = nextEvent<PresenceDiff>(a, 'presence:diff', (d) => d.upserts.some((u) => u.id === auth.visitorId && u.call?.phase === 'in-call'));
    const callId = started.ok ? started.call.callId : '';
    expect((await ask(tab1.s, 'call:accept', { callId, media: { audio: true, video: true } })).ok).toBe(true);
    expect((await elsewhere).reason).toBe('answered_elsewhere');
    await inCall;
    expect(strayInvite).toBe(false);
    const hungUp = nextEvent<PresenceDiff>(a, 'presence:diff', (d) => d.upserts.some((u) => u.id === auth.visitorId && u.call === null));
    await ask(a, 'call:hangup', { callId });
    await hungUp;
  });

  it('relays signals byte for byte, in order, to the other party only', async () => {
    const { a, v, callId } = await answered();
    const bystander = await visitor();
    const samples = [
      JSON.stringify({ type: 'offer', sdp: 'v=0\r\no=- 4611731400430051336 2 IN IP4 127.0.0.1\r\ns=-\r\n' }),
      '{"candidate":{"candidate":"candidate:1 1 udp 2122260223 192.168.1.2 51000 typ host","sdpMid":"0"}}',
      '  spaces, unicode ☎️ \u0000 and "quotes" \\ backslashes  ',
      'x'.repeat(20_000),
    ];
    let leaked = 0;
    bystander.s.on('call:signal', () => leaked++);
    const atAgent: string[] = [];
    const atVisitor: string[] = [];
    a.on('call:signal', (p) => atAgent.push(p.data));
    v.s.on('call:signal', (p) => atVisitor.push(p.data));
    for (const data of samples) {
      expect((await ask(v.s, 'call:signal', { callId, data })).ok).toBe(true);
      expect((await ask(a, 'call:signal', { callId, data })).ok).toBe(true);
    }
    await expect.poll(() => atAgent.length, { timeout: 4000 }).toBe(samples.length);
    await expect.poll(() => atVisitor.length, { timeout: 4000 }).toBe(samples.length);
    expect(atAgent).toEqual(samples);
    expect(atVisitor).toEqual(samples);
    expect(leaked).toBe(0);
  });

  it('refuses signals, hang-ups and answers from anyone who is not a party', async () => {
    const { a, v, callId } = await answered();
    const otherTab = await visitor({ auth: { ...v.auth, tabId: `${v.auth.tabId}b` } });
    const stranger = await visitor();
    const colleague = await agent(ben); // same workspace, not in this call
    const foreign = await agent(eve);
    const eveVisitor = await visitor({ key: eveSite.publicKey, origin: 'https://eve.example' });
    let leaked = 0;
    for (const s of [stranger.s, eveVisitor.s, otherTab.s]) s.on('call:signal', () => leaked++);
    a.on('call:signal', () => leaked++);
    v.s.on('call:signal', () => leaked++);
    for (const s of [stranger.s, eveVisitor.s, otherTab.s, colleague, foreign]) {
      const res = await ask(s, 'call:signal', { callId, data: 'intrusion' });
      expect(res).toMatchObject({ ok: false, code: 'forbidden' });
      expect(await ask(s, 'call:hangup', { callId })).toMatchObject({ ok: false, code: 'forbidden' });
    }
    for (const s of [stranger.s, eveVisitor.s, otherTab.s]) {
      expect(await ask(s, 'call:accept', { callId, media: { audio: true, video: true } })).toMatchObject({ ok: false });
      expect(await ask(s, 'call:rejoin', { callId, resumeToken: 'not-the-token', media: { audio: true, video: true } })).toMatchObject({ ok: false, code: 'forbidden' });
    }
    await sleep(200);
    expect(leaked).toBe(0);
    // The call is untouched: the parties still talk.
    a.off('call:signal');
    const got = nextEvent<{ data: string }>(a, 'call:signal');
    expect((await ask(v.s, 'call:signal', { callId, data: 'still here' })).ok).toBe(true);
    expect((await got).data).toBe('still here');
  });

  it('refuses calls to another workspace\'s visitors, and signals for an ended call', async () => {
    const foreign = await agent(eve);
    const v = await visitor();
    let invited = false;
    v.s.on('call:invite', () => (invited = true));
    expect(await startCall(foreign, v.auth.visitorId, site.id)).toMatchObject({ ok: false, code: 'not_found' });
    // Eve's own site id with Ana's visitor: that visitor is not on Eve's site.
    expect(await startCall(foreign, v.auth.visitorId, eveSite.id)).toMatchObject({ ok: false, code: 'not_found' });
    await sleep(100);
    expect(invited).toBe(false);

    const c = await answered();
    await ask(c.a, 'call:hangup', { callId: c.callId });
    expect(await ask(c.v.s, 'call:signal', { callId: c.callId, data: 'late' })).toMatchObject({ ok: false, code: 'gone' });
    expect(await ask(c.a, 'call:signal', { callId: c.callId, data: 'late' })).toMatchObject({ ok: false, code: 'gone' });
    expect(await ask(c.a, 'call:signal', { callId: '00000000-0000-4000-8000-000000000000', data: 'x' })).toMatchObject({ ok: false, code: 'gone' });
  });

  it('validates every call payload and keeps serving', async () => {
    const { a, v, callId } = await answered();
    const bad: [AgentSocket | VisitorSocket, string, unknown][] = [
      [a, 'call:start', { siteId: site.id, visitorId: '<script>', video: true }],
      [a, 'call:start', { siteId: 'nope', visitorId: 'visitor1234', video: true }],
      [a, 'call:start', { siteId: site.id, visitorId: 'visitor1234', video: 'yes' }],
      [a, 'call:signal', { callId, data: 'x'.repeat(20_001) }],
      [a, 'call:signal', { callId, data: { sdp: 'an object, not a string' } }],
      [v.s, 'call:signal', { callId, data: '' }],
      [v.s, 'call:signal', { callId: 'not-a-uuid', data: 'x' }],
      [v.s, 'call:accept', { callId, media: { audio: true } }],
      [v.s, 'call:media', { callId, audio: true, video: true, extra: 1 }],
      [v.s, 'call:hangup', null],
    ];
    for (const [s, event, payload] of bad) expect(await ask(s, event, payload), `${event} ${JSON.stringify(payload)?.slice(0, 80)}`).toMatchObject({ ok: false, code: 'bad_request' });
    const got = nextEvent<{ audio: boolean; video: boolean }>(a, 'call:media');
    expect((await ask(v.s, 'call:media', { callId, audio: false, video: true })).ok).toBe(true);
    expect(await got).toMatchObject({ callId, audio: false, video: true });
  });

  it('tells a second agent the visitor is busy, with whom', async () => {
    const { v } = await answered();
    const b = await agent(ben);
    const visitorId = (v.auth as { visitorId: string }).visitorId;
    expect(await startCall(b, visitorId)).toMatchObject({ ok: false, code: 'busy', message: 'This visitor is in a call with Ana Lima' });
  });

  it('ends an unanswered call after the ring timeout for both sides and records it as missed', async () => {
    const a = await agent(ana);
    const v = await visitor();
    const t0 = Date.now();
    const started = await startCall(a, v.auth.visitorId);
    if (!started.ok) throw new Error(started.code);
    const [atAgent, atVisitor] = await Promise.all([nextEvent<CallEnd>(a, 'call:ended', () => true, RING_MS + 3000), nextEvent<CallEnd>(v.s, 'call:ended', () => true, RING_MS + 3000)]);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(RING_MS - 50);
    expect(atAgent).toEqual(atVisitor);
    expect(atAgent).toMatchObject({ callId: started.call.callId, outcome: 'missed', reason: 'no_answer', by: 'system', durationMs: null });
    const row = await record(started.call.callId);
    expect(row).toMatchObject({ outcome: 'missed', endedBy: 'system', reason: 'no_answer', agentId: ana.userId, agentName: 'Ana Lima', visitorKey: v.auth.visitorId, siteId: site.id, answeredAt: null, durationMs: null });
    expect(row?.endedAt).toBeInstanceOf(Date);
    // Too late to accept now.
    expect(await ask(v.s, 'call:accept', { callId: started.call.callId, media: { audio: true, video: true } })).toMatchObject({ ok: false, code: 'gone' });
  });

  it('records declined, cancelled and answered calls with who hung up, and lists them in the visitor panel', async () => {
    const a = await agent(ana);
    const v = await visitor();
    const id = v.auth.visitorId;
    const c1 = await startCall(a, id);
    if (!c1.ok) throw new Error();
    const declined = nextEvent<CallEnd>(a, 'call:ended');
    expect((await ask(v.s, 'call:decline', { callId: c1.call.callId })).ok).toBe(true);
    expect(await declined).toMatchObject({ outcome: 'declined', by: 'visitor' });
    const c2 = await startCall(a, id);
    if (!c2.ok) throw new Error();
    const cancelled = nextEvent<CallEnd>(v.s, 'call:ended');
    expect((await ask(a, 'call:cancel', { callId: c2.call.callId })).ok).toBe(true);
    expect(await cancelled).toMatchObject({ outcome: 'cancelled', by: 'agent' });
    const c3 = await startCall(a, id);
    if (!c3.ok) throw new Error();
    await ask(v.s, 'call:accept', { callId: c3.call.callId, media: { audio: true, video: false }, problems: ['camera_denied'] });
    await sleep(300);
    const ended = nextEvent<CallEnd>(a, 'call:ended');
    await ask(v.s, 'call:hangup', { callId: c3.call.callId });
    const end = await ended;
    expect(end).toMatchObject({ outcome: 'answered', reason: 'hangup', by: 'visitor' });
    expect(end.durationMs).toBeGreaterThanOrEqual(250);
    const row = await record(c3.call.callId);
    expect(row).toMatchObject({ outcome: 'answered', endedBy: 'visitor', durationMs: end.durationMs });
    expect(row!.answeredAt!.getTime()).toBeLessThanOrEqual(row!.endedAt!.getTime());

    await ask(a, 'site:watch', { siteId: site.id });
    const details = await ask<{ details: VisitorDetails }>(a, 'visitor:details', { siteId: site.id, visitorId: id });
    if (!details.ok) throw new Error(details.code);
    expect(details.details.calls.map((c) => c.outcome)).toEqual(['answered', 'cancelled', 'declined']);
    expect(details.details.calls[0]).toMatchObject({ agentName: 'Ana Lima', endedBy: 'visitor', video: true });
    // The calls history, as the dashboard page reads it, only for the user's own sites.
    const mine = await server.services.calls.list({ siteIds: [site.id], visitorId: id, limit: 50 });
    expect(mine.map((c) => c.id)).toEqual([c3.call.callId, c2.call.callId, c1.call.callId]);
    expect(await server.services.calls.list({ siteIds: [eveSite.id], visitorId: id, limit: 50 })).toEqual([]);
    expect((await server.services.calls.list({ siteIds: [site.id], outcome: 'declined', visitorId: id, limit: 50 })).map((c) => c.id)).toEqual([c1.call.callId]);
  });

  it('keeps ringing while the visitor answers a permission prompt, and tells the agent', async () => {
    const a = await agent(ana);
    const v = await visitor();
    const c = await startCall(a, v.auth.visitorId);
    if (!c.ok) throw new Error(c.code);
    const answering = nextEvent<{ callId: string; ringsForMs: number }>(a, 'call:answering');
    expect((await ask(v.s, 'call:answering', { callId: c.call.callId })).ok).toBe(true);
    expect((await answering).ringsForMs).toBeGreaterThan(RING_MS * 2); // the connect timeout, 20 s by default
    await sleep(RING_MS + 300); // past the ring timeout
    expect((await ask(v.s, 'call:accept', { callId: c.call.callId, media: { audio: true, video: true } })).ok).toBe(true);
  });

  it('limits how fast an agent can ring visitors', async () => {
    const a = await agent(ana);
    const v = await visitor();
    const codes: string[] = [];
    const startedAt = Date.now();
    while (codes.length < 30 && !codes.includes('rate_limited')) {
      const c = await startCall(a, v.auth.visitorId);
      codes.push(c.ok ? 'ok' : c.code);
      if (c.ok) await ask(a, 'call:cancel', { callId: c.call.callId });
    }
    // A burst of ten, then about one a second: on a slow machine the burst may earn a token or two
    // back before it runs out, never more than one per second it took.
    const refills = Math.floor((Date.now() - startedAt) / 1000);
    expect(codes.slice(0, 10)).toEqual(Array(10).fill('ok'));
    expect(codes.at(-1)).toBe('rate_limited');
    expect(codes.length).toBeLessThanOrEqual(11 + refills);
    expect(codes.filter((c) => c !== 'ok' && c !== 'rate_limited')).toEqual([]);
  });

  it('fails a call accepted without camera or microphone and tells the agent why', async () => {
    const a = await agent(ana);
    const v = await visitor();
    const c = await startCall(a, v.auth.visitorId);
    if (!c.ok) throw new Error();
    const ended = nextEvent<CallEnd>(a, 'call:ended');
    const res = await ask(v.s, 'call:accept', { callId: c.call.callId, media: { audio: false, video: false }, problems: ['camera_denied', 'microphone_denied'] });
    expect(res.ok).toBe(false);
    expect(await ended).toMatchObject({ outcome: 'failed', reason: 'media_unavailable', by: 'visitor' });
  });

  it('ends the call for the agent at once when the visitor\'s tab closes', async () => {
    const { a, v, callId } = await answered();
    const ended = nextEvent<CallEnd>(a, 'call:ended', () => true, 1000);
    v.s.disconnect(); // what the snippet does on pagehide
    expect(await ended).toMatchObject({ callId, outcome: 'answered', reason: 'left', by: 'visitor' });
  });

  it('ends the call for the visitor when the agent\'s dashboard goes away', async () => {
    const { a, v, callId } = await answered();
    const ended = nextEvent<CallEnd>(v.s, 'call:ended', () => true, 1000);
    a.disconnect();
    expect(await ended).toMatchObject({ callId, outcome: 'answered', reason: 'left', by: 'agent' });
  });

  it('keeps the call while the visitor navigates, and hands it to the same tab\'s next page', async () => {
    const { a, v, callId, resumeToken } = await answered();
    expect((await ask(v.s, 'call:navigating', { callId })).ok).toBe(true);
    const away = nextEvent(a, 'call:away');
    v.s.disconnect();
    await away;
    // Another tab of the same visitor gets no call:ongoing; the same tab's next page does.
    const otherTab = track(visitorSocket(server.url, { key: site.publicKey, origin: ORIGIN, auth: { ...v.auth, tabId: `${v.auth.tabId}z` } }));
    let otherTold = false;
    otherTab.on('call:ongoing', () => (otherTold = true));
    const next = track(visitorSocket(server.url, { key: site.publicKey, origin: ORIGIN, auth: { ...v.auth, page: { url: 'https://shop.example/pricing', title: 'Pricing' } } }));
    const ongoing = await nextEvent<CallInvite & { acceptedAt: number; media: { audio: boolean; video: boolean } }>(next, 'call:ongoing');
    expect(ongoing).toMatchObject({ callId, agent: { name: 'Ana Lima' }, media: { audio: true, video: true } });
    // Knowing the visitor's and tab's ids is not enough: the token from the accept is.
    expect(await ask(next, 'call:rejoin', { callId, resumeToken: 'a-guessed-token', media: { audio: true, video: true } })).toMatchObject({ ok: false, code: 'forbidden' });
    const rejoined = nextEvent<{ callId: string; ice: IceConfig }>(a, 'call:rejoined');
    expect((await ask<{ ice: IceConfig }>(next, 'call:rejoin', { callId, resumeToken, media: { audio: true, video: true } })).ok).toBe(true);
    expect((await rejoined).callId).toBe(callId);
    const got = nextEvent<{ data: string }>(a, 'call:signal');
    expect((await ask(next, 'call:signal', { callId, data: 'from the next page' })).ok).toBe(true);
    expect((await got).data).toBe('from the next page');
    expect(otherTold).toBe(false);
  });

  it('keeps ringing a visitor whose only tab navigates, and rings their next page', async () => {
    const a = await agent(ana);
    const v = await visitor();
    const started = await startCall(a, v.auth.visitorId);
    if (!started.ok) throw new Error(started.code);
    let ended = false;
    a.on('call:ended', () => (ended = true));
    v.s.disconnect();
    const leftAt = Date.now();
    await sleep(300);
    const next = track(visitorSocket(server.url, { key: site.publicKey, origin: ORIGIN, auth: { ...v.auth, page: { url: 'https://shop.example/pricing', title: 'Pricing' } } }));
    const invite = await nextEvent<CallInvite>(next, 'call:invite');
    expect(invite.callId).toBe(started.call.callId);
    // Past the grace counted from the tab's leaving (and still inside the ring).
    await sleep(Math.max(0, GRACE_MS + 300 - (Date.now() - leftAt)));
    expect(ended).toBe(false);
    expect((await ask(next, 'call:accept', { callId: invite.callId, media: { audio: true, video: false } })).ok).toBe(true);
  });

  it('counts a ringing call as missed when the visitor has left the site for the grace period', async () => {
    const a = await agent(ana);
    const v = await visitor();
    const started = await startCall(a, v.auth.visitorId);
    if (!started.ok) throw new Error(started.code);
    const t0 = Date.now();
    v.s.disconnect();
    const end = await nextEvent<CallEnd>(a, 'call:ended', () => true, GRACE_MS + 3000);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(GRACE_MS - 50);
    expect(end).toMatchObject({ outcome: 'missed', reason: 'left', by: 'visitor' });
  });

  it('a hang-up the visitor\'s tab sends on its re-established connection ends the call', async () => {
    const { a, v, callId } = await answered();
    const ended = nextEvent<CallEnd>(a, 'call:ended');
    // The connection dropped (not closed by the page) and came back on a new socket, which
    // carries the hang-up the page had queued.
    v.s.io.engine.close();
    const again = track(visitorSocket(server.url, { key: site.publicKey, origin: ORIGIN, auth: v.auth }));
    await connected(again);
    expect((await ask(again, 'call:hangup', { callId })).ok).toBe(true);
    expect(await ended).toMatchObject({ callId, outcome: 'answered', reason: 'hangup', by: 'visitor' });
  });

  it('ends a navigating call when no next page comes back within the grace period', async () => {
    const { a, v, callId } = await answered();
    await ask(v.s, 'call:navigating', { callId });
    const t0 = Date.now();
    v.s.disconnect();
    const end = await nextEvent<CallEnd>(a, 'call:ended', () => true, GRACE_MS + 3000);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(GRACE_MS - 50);
    expect(end).toMatchObject({ callId, reason: 'left', by: 'visitor' });
  });

  it('gives each party TURN credentials of its own when a TURN secret is configured, never the secret', async () => {
    const secret = 'a-long-shared-turn-secret-for-tests';
    const s2 = await startTestServer(database, { ICE_SERVERS: 'stun:stun.example:3478,turn:turn.example:3478', TURN_SECRET: secret, TURN_CREDENTIAL_TTL_S: '600' });
    try {
      const owner = await signUp(s2.url, 'Tess');
      const s2site = await s2.services.sites.create(owner.userId, { name: 'Two', allowedOrigins: [ORIGIN] });
      const a = track(agentSocket(s2.url, owner.cookie));
      await connected(a);
      const auth = handshake();
      const v = track(visitorSocket(s2.url, { key: s2site.publicKey, origin: ORIGIN, auth }));
      await connected(v);
      const invited = nextEvent<CallInvite>(v, 'call:invite');
      const started = await ask<{ call: AgentCall }>(a, 'call:start', { siteId: s2site.id, visitorId: auth.visitorId, video: true });
      if (!started.ok) throw new Error(started.code);
      await invited;
      const accepted = nextEvent<{ ice: IceConfig }>(a, 'call:accepted');
      const res = await ask<{ ice: IceConfig }>(v, 'call:accept', { callId: started.call.callId, media: { audio: true, video: true } });
      if (!res.ok) throw new Error(res.code);
      const agentIce = (await accepted).ice;
      for (const ice of [res.ice, agentIce]) {
        expect(ice.iceServers[0]).toEqual({ urls: 'stun:stun.example:3478' });
        const turn = ice.iceServers[1]!;
        expect(turn.urls).toBe('turn:turn.example:3478');
        const expiry = Number(turn.username!.split(':')[0]);
        expect(expiry * 1000 - Date.now()).toBeGreaterThan(500_000);
        expect(expiry * 1000 - Date.now()).toBeLessThanOrEqual(600_000);
        expect(turn.username).toContain(started.call.callId);
        expect(JSON.stringify(ice)).not.toContain(secret);
      }
      expect(res.ice.iceServers[1]!.username).not.toBe(agentIce.iceServers[1]!.username);
    } finally {
      await s2.close();
    }
  });

  it('pages through the history without skipping calls that started in the same millisecond', async () => {
    const at = new Date('2026-01-02T03:04:05.678Z');
    const ids = ['a', 'b', 'c', 'd', 'e'].map((x) => `${x.repeat(8)}-0000-4000-8000-000000000000`);
    await database.db.insert(callTable).values(ids.map((id) => ({ id, siteId: site.id, visitorKey: 'same-ms-visitor', agentId: ana.userId, agentName: 'Ana Lima', video: true, startedAt: at })));
    const seen: string[] = [];
    let cursor: { before?: number; beforeId?: string } = {};
    for (let page = 0; page < 5 && seen.length < ids.length; page++) {
      const rows = await server.services.calls.list({ siteIds: [site.id], visitorId: 'same-ms-visitor', limit: 2, ...cursor });
      seen.push(...rows.map((r) => r.id));
      const last = rows.at(-1);
      if (!last) break;
      cursor = { before: last.startedAt, beforeId: last.id };
    }
    expect(seen).toEqual([...ids].reverse());
  });

  it('closes the records of calls a stopped server left open when it starts again', async () => {
    const now = new Date();
    await database.db.insert(callTable).values([
      { id: '11111111-1111-4111-8111-111111111111', siteId: site.id, visitorKey: 'visitor-left-open', agentId: ana.userId, agentName: 'Ana Lima', video: true, startedAt: now },
      { id: '22222222-2222-4222-8222-222222222222', siteId: site.id, visitorKey: 'visitor-left-open', agentId: ana.userId, agentName: 'Ana Lima', video: true, startedAt: now, answeredAt: now },
    ]);
    const again = await startTestServer(database);
    try {
      const rows = await server.services.calls.list({ siteIds: [site.id], visitorId: 'visitor-left-open', limit: 10 });
      expect(rows.map((r) => [r.outcome, r.reason, r.endedBy]).sort()).toEqual([['answered', 'interrupted', 'system'], ['failed', 'interrupted', 'system']]);
      expect(rows.every((r) => r.endedAt !== null)).toBe(true);
    } finally {
      await again.close();
    }
  });
});
