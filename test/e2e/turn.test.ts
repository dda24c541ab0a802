// TURN on loopback with a real coturn and real headless Chromium (no Porchlight server needed):
// credentials minted by server/calls/ice.ts are accepted while valid and refused once expired or
// when minted with another secret, and two relay-only peers connect a data channel through coturn.
// This is the ground the full call-through-TURN test stands on.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { mintTurnCredential } from '../../server/calls/ice';
import type { IceServer } from '../../server/protocol';
import { MEDIA_ARGS, launchBrowser } from '../support/browser';
import { shouldSkipTurnTests, startCoturn, type Coturn } from '../support/coturn';

/** Waits on a browser, coturn and the network: generous, a timing is not what these tests assert. */
const POLL = { timeout: 8000, interval: 50 };

// Runs inside the page: ICE gathering with relay-only policy, and a relay-only pair of peers.
const PAGE_SCRIPT = `
window.runs = {};
window.startGather = (id, iceServers) => {
  const run = { candidates: [], errors: [], complete: false };
  window.runs[id] = run;
  const pc = new RTCPeerConnection({ iceServers, iceTransportPolicy: 'relay' });
  run.pc = pc;
  pc.onicecandidate = (e) => {
    if (e.candidate) run.candidates.push({ type: e.candidate.type, address: e.candidate.address, port: e.candidate.port, protocol: e.candidate.protocol, relayProtocol: e.candidate.relayProtocol, line: e.candidate.candidate });
  };
  pc.onicecandidateerror = (e) => run.errors.push({ errorCode: e.errorCode, errorText: e.errorText, url: e.url });
  pc.onicegatheringstatechange = () => { if (pc.iceGatheringState === 'complete') run.complete = true; };
  pc.createDataChannel('probe');
  pc.createOffer().then((o) => pc.setLocalDescription(o)).catch((err) => { run.failure = String(err); });
};
window.gatherResult = (id) => {
  const r = window.runs[id];
  return { candidates: r.candidates, errors: r.errors, complete: r.complete, failure: r.failure ?? null };
};

window.startPair = (cfgA, cfgB) => {
  const st = { received: [], echoed: [], open: false, errors: [], states: [] };
  window.pair = st;
  const a = new RTCPeerConnection(cfgA);
  const b = new RTCPeerConnection(cfgB);
  st.a = a; st.b = b;
  a.onicecandidate = (e) => { if (e.candidate) b.addIceCandidate(e.candidate).catch((err) => st.errors.push('b.addIceCandidate: ' + err)); };
  b.onicecandidate = (e) => { if (e.candidate) a.addIceCandidate(e.candidate).catch((err) => st.errors.push('a.addIceCandidate: ' + err)); };
  a.onicecandidateerror = (e) => st.errors.push('a ice ' + e.errorCode + ' ' + e.errorText);
  b.onicecandidateerror = (e) => st.errors.push('b ice ' + e.errorCode + ' ' + e.errorText);
  a.onconnectionstatechange = () => st.states.push('a:' + a.connectionState);
  b.onconnectionstatechange = () => st.states.push('b:' + b.connectionState);
  b.ondatachannel = (e) => {
    const ch = e.channel;
    ch.onmessage = (m) => { st.echoed.push(m.data); ch.send('pong:' + m.data); };
  };
  const ch = a.createDataChannel('chat');
  ch.onopen = () => { st.open = true; ch.send('ping-1'); ch.send('ping-2'); };
  ch.onmessage = (m) => st.received.push(m.data);
  (async () => {
    await a.setLocalDescription(await a.createOffer());
    await b.setRemoteDescription(a.localDescription);
    await b.setLocalDescription(await b.createAnswer());
    await a.setRemoteDescription(b.localDescription);
  })().catch((err) => st.errors.push('negotiation: ' + err));
};
window.pairState = () => {
  const st = window.pair;
  return { received: st.received, echoed: st.echoed, open: st.open, errors: st.errors, states: st.states };
};
/** The candidates of each side's selected pair, from getStats. */
window.pairSelected = async () => {
  const selected = async (pc) => {
    const stats = await pc.getStats();
    let pairId;
    stats.forEach((s) => { if (s.type === 'transport' && s.selectedCandidatePairId) pairId = s.selectedCandidatePairId; });
    const pair = pairId && stats.get(pairId);
    if (!pair) return null;
    const local = stats.get(pair.localCandidateId);
    const remote = stats.get(pair.remoteCandidateId);
    return {
      state: pair.state,
      local: { type: local.candidateType, address: local.address, port: local.port, relayProtocol: local.relayProtocol ?? null },
      remote: { type: remote.candidateType, address: remote.address, port: remote.port },
    };
  };
  return { a: await selected(window.pair.a), b: await selected(window.pair.b) };
};
`;

interface Candidate {
  type: string;
  address: string;
  port: number;
  protocol: string;
  relayProtocol?: string;
  line: string;
}
interface GatherResult {
  candidates: Candidate[];
  errors: { errorCode: number; errorText: string; url: string }[];
  complete: boolean;
  failure: string | null;
}
interface Selected {
  state: string;
  local: { type: string; address: string; port: number; relayProtocol: string | null };
  remote: { type: string; address: string; port: number };
}

async function pageServer() {
  const server = http.createServer((_req, res) =>
    res.writeHead(200, { 'content-type': 'text/html' }).end(`<!doctype html><html><head><title>turn</title><script>${PAGE_SCRIPT}</script></head><body>turn</body></html>`),
  );
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

const nowS = () => Math.floor(Date.now() / 1000);

describe.skipIf(shouldSkipTurnTests())('TURN through a local coturn (use-auth-secret) in real Chromium', () => {
  let coturn: Coturn;
  let browser: Browser;
  let site: Awaited<ReturnType<typeof pageServer>>;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    [coturn, browser, site] = await Promise.all([startCoturn(), launchBrowser(MEDIA_ARGS), pageServer()]);
  });
  afterAll(async () => {
    await browser?.close();
    await coturn?.stop();
    await site?.close();
  });

  async function openPage(): Promise<Page> {
    const ctx = await browser.newContext();
    contexts.push(ctx);
    const page = await ctx.newPage();
    await page.goto(site.url);
    return page;
  }

  const turn = (cred: { username: string; credential: string }): IceServer[] => [{ urls: coturn.url, ...cred }];

  /** Gathers relay-only candidates until gathering completes (or fails the test after the poll timeout). */
  async function gather(page: Page, id: string, iceServers: IceServer[]): Promise<GatherResult> {
    await page.evaluate(([i, s]) => (window as unknown as { startGather(i: string, s: IceServer[]): void }).startGather(i, s), [id, iceServers] as const);
    const result = () => page.evaluate((i) => (window as unknown as { gatherResult(i: string): GatherResult }).gatherResult(i), id);
    await expect.poll(async () => (await result()).complete, POLL).toBe(true);
    return result();
  }

  const relays = (r: GatherResult) => r.candidates.filter((c) => c.type === 'relay');
  const inRelayRange = (port: number) => port >= coturn.relayPorts.min && port <= coturn.relayPorts.max;

  it('a credential minted with the shared secret and a future expiry gets a relay candidate from coturn', { timeout: 60_000 }, async () => {
    const page = await openPage();
    const r = await gather(page, 'valid', turn(mintTurnCredential(coturn.secret, 'test', nowS() + 600)));
    expect(r.failure).toBeNull();
    expect(relays(r).length, JSON.stringify(r)).toBeGreaterThan(0);
    // Relay-only policy: nothing but relay candidates, and each one is an address coturn allocated.
    expect(r.candidates.every((c) => c.type === 'relay')).toBe(true);
    for (const c of relays(r)) {
      expect(c.address).toBe('127.0.0.1');
      expect(inRelayRange(c.port), `relay port ${c.port} in ${JSON.stringify(coturn.relayPorts)}`).toBe(true);
    }
    expect(r.errors.filter((e) => e.errorCode === 401)).toEqual([]);
  });

  it('an expired credential (valid HMAC, expiry in the past) is refused: 401 and no relay candidate', { timeout: 60_000 }, async () => {
    const page = await openPage();
    const r = await gather(page, 'expired', turn(mintTurnCredential(coturn.secret, 'test', nowS() - 60)));
    expect(relays(r), JSON.stringify(r)).toEqual([]);
    expect(r.errors.some((e) => e.errorCode === 401), JSON.stringify(r.errors)).toBe(true);
  });

  it('a credential minted with another secret is refused: 401 and no relay candidate', { timeout: 60_000 }, async () => {
    const page = await openPage();
    const r = await gather(page, 'wrong-secret', turn(mintTurnCredential(`${coturn.secret}-not`, 'test', nowS() + 600)));
    expect(relays(r), JSON.stringify(r)).toEqual([]);
    expect(r.errors.some((e) => e.errorCode === 401), JSON.stringify(r.errors)).toBe(true);
  });

  it('two relay-only peers connect a data channel through coturn and exchange messages', { timeout: 60_000 }, async () => {
    const page = await openPage();
    const expiry = nowS() + 600;
    const cfg = (name: string) => ({ iceServers: turn(mintTurnCredential(coturn.secret, name, expiry)), iceTransportPolicy: 'relay' as const });
    await page.evaluate(([a, b]) => (window as unknown as { startPair(a: unknown, b: unknown): void }).startPair(a, b), [cfg('peer-a'), cfg('peer-b')] as const);
    const state = () =>
      page.evaluate(() => (window as unknown as { pairState(): { received: string[]; echoed: string[]; open: boolean; errors: string[]; states: string[] } }).pairState());

    await expect.poll(async () => (await state()).open, POLL).toBe(true);
    await expect.poll(async () => (await state()).received, POLL).toEqual(['pong:ping-1', 'pong:ping-2']);
    expect((await state()).echoed).toEqual(['ping-1', 'ping-2']);

    // Both ends of the selected pair are coturn relay addresses: the data went through coturn.
    // The stats may still show the pair as in progress for a moment after the first data: wait for
    // both sides to report it succeeded (CI caught an 'in-progress' right after the echo).
    const selected = () => page.evaluate(() => (window as unknown as { pairSelected(): Promise<{ a: Selected | null; b: Selected | null }> }).pairSelected());
    await expect.poll(async () => { const s = await selected(); return [s.a?.state, s.b?.state]; }, POLL).toEqual(['succeeded', 'succeeded']);
    const sel = await selected();
    for (const side of [sel.a, sel.b]) {
      expect(side, JSON.stringify(sel)).not.toBeNull();
      expect(side!.state).toBe('succeeded');
      expect(side!.local.type).toBe('relay');
      expect(side!.remote.type).toBe('relay');
      expect(side!.local.relayProtocol).toBe('udp');
      expect(inRelayRange(side!.local.port)).toBe(true);
      expect(inRelayRange(side!.remote.port)).toBe(true);
    }
    // (Chromium allocates one relay per network it sees, so each side may be sending on a
    // different pair of relays at this moment: no mirror check between a and b.)
  });
});
