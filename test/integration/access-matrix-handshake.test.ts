// The /agent handshake for the access matrix (the events are in access-matrix-personas.test.ts):
// a forged session cookie is refused, and the workspace a socket names must be one of its user's:
// members may name W, the outsider may not, and a W member may not name X.
// Real server, real sockets, both databases.
import { io as connect } from 'socket.io-client';
import { describe, expect, it } from 'vitest';
import { expectOk, useAgentAccess, type Member } from '../support/agent-access-fixture';
import { testDatabases } from '../support/db';
import { ask, connected, type AgentSocket } from '../support/server';

describe.each(testDatabases())('access matrix over /agent ($name)', (kind) => {
  const access = useAgentAccess(kind);

  it('stranger · a forged session cookie is refused too', async () => {
    const forged: AgentSocket = connect(`${access.f.server.url}/agent`, { transports: ['websocket'], extraHeaders: { origin: access.f.server.url, cookie: 'better-auth.session_token=forged.value' }, reconnection: false, forceNew: true });
    access.track(forged);
    await expect(connected(forged)).rejects.toThrow('unauthorized');
  });

  it('the handshake’s workspace: members may name W, the outsider may not, and a W member may not name X', async () => {
    const expectations: [Member | 'outsider', string, 'connects' | 'refused'][] = [
      ['owner', access.f.workspaceW, 'connects'],
      ['admin', access.f.workspaceW, 'connects'],
      ['agent', access.f.workspaceW, 'connects'],
      ['outsider', access.f.workspaceW, 'refused'],
      ['outsider', access.f.workspaceX, 'connects'],
      ['agent', access.f.workspaceX, 'refused'],
    ];
    for (const [who, workspaceId, outcome] of expectations) {
      const attempt = access.dashboard(access.f.server, access.f.accounts[who], { workspaceId });
      if (outcome === 'connects') await attempt;
      else await expect(attempt, `${who} naming ${workspaceId === access.f.workspaceW ? 'W' : 'X'}`).rejects.toThrow();
    }
    // A member's socket bound to W works in W.
    const s = await access.dashboard(access.f.server, access.f.accounts.agent, { workspaceId: access.f.workspaceW });
    expectOk(await ask(s, 'site:watch', { siteId: access.f.siteS.id }), 'agent bound to W watches S');
    const stranger = connect(`${access.f.server.url}/agent`, { transports: ['websocket'], extraHeaders: { origin: access.f.server.url }, auth: { workspaceId: access.f.workspaceW }, reconnection: false, forceNew: true });
    access.track(stranger);
    await expect(connected(stranger)).rejects.toThrow('unauthorized');
  });
});
