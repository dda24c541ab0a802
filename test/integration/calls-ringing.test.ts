// Calls over real socket.io connections to a real server and database: who may ring, accept,
// signal and hang up, how a call rings and what the parties get to connect (signals, ICE).
import { describe, expect, it } from 'vitest';
import type { AgentCall, CallEnd, CallInvite, IceConfig, PresenceDiff } from '../../server/protocol';
import { RING_MS, ORIGIN, useCallSockets } from '../support/call-sockets';
import { ask, agentSocket, connected, handshake, nextEvent, signUp, sleep, startTestServer, visitorSocket, type AgentSocket, type VisitorSocket } from '../support/server';
import { testDatabases } from '../support/db';

describe.each(testDatabases())('calls ($name)', (kind) => {
  const w = useCallSockets(kind);

  it('rings every tab of the visitor with the agent\'s name, initials and the site\'s name, and shows the call in the live table', async () => {
    const a = await w.agent(w.ana);
    const auth = handshake();
    const tab1 = await w.visitor({ auth });
    const tab2 = await w.visitor({ auth: { ...auth, tabId: `${auth.tabId}b` } });
    const other = await w.visitor();
    const watch = await ask(a, 'site:watch', { siteId: w.site.id });
    expect(watch.ok).toBe(true);
    let strayInvite = false;
    other.s.on('call:invite', () => (strayInvite = true));
    const diff = nextEvent<PresenceDiff>(a, 'presence:diff', (d) => d.upserts.some((u) => u.id === auth.visitorId && u.call?.phase === 'ringing'));
    const invites = Promise.all([nextEvent<CallInvite>(tab1.s, 'call:invite'), nextEvent<CallInvite>(tab2.s, 'call:invite')]);
    const started = await w.startCall(a, auth.visitorId);
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
    const { a, v, callId } = await w.answered();
    const bystander = await w.visitor();
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
    const { a, v, callId } = await w.answered();
    const otherTab = await w.visitor({ auth: { ...v.auth, tabId: `${v.auth.tabId}b` } });
    const stranger = await w.visitor();
    const colleague = await w.agent(w.ben); // same workspace, not in this call
    const foreign = await w.agent(w.eve);
    const eveVisitor = await w.visitor({ key: w.eveSite.publicKey, origin: 'https://eve.example' });
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
    const foreign = await w.agent(w.eve);
    const v = await w.visitor();
    let invited = false;
    v.s.on('call:invite', () => (invited = true));
    expect(await w.startCall(foreign, v.auth.visitorId, w.site.id)).toMatchObject({ ok: false, code: 'not_found' });
    // Eve's own site id with Ana's visitor: that visitor is not on Eve's site.
    expect(await w.startCall(foreign, v.auth.visitorId, w.eveSite.id)).toMatchObject({ ok: false, code: 'not_found' });
    await sleep(100);
    expect(invited).toBe(false);

    const c = await w.answered();
    await ask(c.a, 'call:hangup', { callId: c.callId });
    expect(await ask(c.v.s, 'call:signal', { callId: c.callId, data: 'late' })).toMatchObject({ ok: false, code: 'gone' });
    expect(await ask(c.a, 'call:signal', { callId: c.callId, data: 'late' })).toMatchObject({ ok: false, code: 'gone' });
    expect(await ask(c.a, 'call:signal', { callId: '00000000-0000-4000-8000-000000000000', data: 'x' })).toMatchObject({ ok: false, code: 'gone' });
  });

  it('validates every call payload and keeps serving', async () => {
    const { a, v, callId } = await w.answered();
    const bad: [AgentSocket | VisitorSocket, string, unknown][] = [
      [a, 'call:start', { siteId: w.site.id, visitorId: '<script>', video: true }],
      [a, 'call:start', { siteId: 'nope', visitorId: 'visitor1234', video: true }],
      [a, 'call:start', { siteId: w.site.id, visitorId: 'visitor1234', video: 'yes' }],
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
    const { v } = await w.answered();
    const b = await w.agent(w.ben);
    const visitorId = (v.auth as { visitorId: string }).visitorId;
    expect(await w.startCall(b, visitorId)).toMatchObject({ ok: false, code: 'busy', message: 'This visitor is in a call with Ana Lima' });
  });

  it('keeps ringing while the visitor answers a permission prompt, and tells the agent', async () => {
    const a = await w.agent(w.ana);
    const v = await w.visitor();
    const c = await w.startCall(a, v.auth.visitorId);
    if (!c.ok) throw new Error(c.code);
    const answering = nextEvent<{ callId: string; ringsForMs: number }>(a, 'call:answering');
    expect((await ask(v.s, 'call:answering', { callId: c.call.callId })).ok).toBe(true);
    expect((await answering).ringsForMs).toBeGreaterThan(RING_MS * 2); // the connect timeout, 20 s by default
    await sleep(RING_MS + 300); // past the ring timeout
    expect((await ask(v.s, 'call:accept', { callId: c.call.callId, media: { audio: true, video: true } })).ok).toBe(true);
  });

  it('limits how fast an agent can ring visitors', async () => {
    const a = await w.agent(w.ana);
    const v = await w.visitor();
    const codes: string[] = [];
    const startedAt = Date.now();
    while (codes.length < 30 && !codes.includes('rate_limited')) {
      const c = await w.startCall(a, v.auth.visitorId);
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

  it('gives each party TURN credentials of its own when a TURN secret is configured, never the secret', async () => {
    const secret = 'a-long-shared-turn-secret-for-tests';
    const s2 = await startTestServer(w.database, { ICE_SERVERS: 'stun:stun.example:3478,turn:turn.example:3478', TURN_SECRET: secret, TURN_CREDENTIAL_TTL_S: '600' });
    try {
      const owner = await signUp(s2.url, 'Tess');
      const s2site = await s2.services.sites.create(owner.userId, { name: 'Two', allowedOrigins: [ORIGIN] });
      const a = w.track(agentSocket(s2.url, owner.cookie));
      await connected(a);
      const auth = handshake();
      const v = w.track(visitorSocket(s2.url, { key: s2site.publicKey, origin: ORIGIN, auth }));
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
});
