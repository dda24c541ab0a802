// Collision on the row: each dashboard tab says which visitor it has open (visitor:focus); every
// dashboard of the workspace hears who is on that visitor now (visitor:attention). The focus lives
// on the socket's data, so socket.io's adapter collects it from every process (fetchSockets) and
// it ends with the socket. The merge rule is server/attention/attention.ts.
import { attentionBySite, attentionOn, refocus, type VisitorKey } from '../attention/attention';
import type { VisitorAttention } from '../protocol';
import type { SiteStore } from '../sites/site-store';
import { ClientError, on, tokenBucket } from './handler';
import type { AgentNamespace, AgentSocket } from './io';
import { VisitorFocusSchema } from './schemas';

export interface AttentionDeps {
  agentNsp: AgentNamespace;
  sites: Pick<SiteStore, 'getForUser'>;
  workspaceRoom: (workspaceId: string) => string;
  log: (msg: string, err?: unknown) => void;
}

export function createAttentionTransport(d: AttentionDeps) {
  const tabsOf = async (workspaceId: string) => (await d.agentNsp.in(d.workspaceRoom(workspaceId)).fetchSockets()).map((s) => s.data);

  const announce = (workspaceId: string, visitors: VisitorKey[]): void => {
    if (visitors.length === 0) return;
    tabsOf(workspaceId).then(
      (tabs) => {
        for (const v of visitors) d.agentNsp.to(d.workspaceRoom(workspaceId)).emit('visitor:attention', { ...v, agents: attentionOn(tabs, v) });
      },
      (err: unknown) => d.log('attention announce failed', err),
    );
  };

  /**
   * For the site:watch snapshot: who is on which of the site's visitors, on every process. The
   * faces are a courtesy: when a process does not answer in time (busy, or just died), the table
   * still opens, without them until the next focus change or snapshot.
   */
  const snapshot = async (workspaceId: string, siteId: string): Promise<VisitorAttention[]> => {
    try {
      return attentionBySite(await tabsOf(workspaceId), siteId);
    } catch (err) {
      d.log('attention snapshot incomplete: the table opens without colleagues\' faces', err);
      return [];
    }
  };

  const onAgentConnection = (socket: AgentSocket): void => {
    const { userId, workspaceId } = socket.data;
    if (!workspaceId) return;
    // Checked once per site and socket: a focus names only sites of the socket's workspace.
    const known = new Set<string>();
    const opts = { limiter: tokenBucket(10, 30), onError: (err: unknown) => d.log('focus event failed', err) };
    on(socket, 'visitor:focus', VisitorFocusSchema, async ({ doing, visitor }) => {
      if (visitor && !known.has(visitor.siteId)) {
        const site = await d.sites.getForUser(userId, visitor.siteId);
        if (!site || site.workspaceId !== workspaceId) throw new ClientError('not_found', 'no such site');
        known.add(visitor.siteId);
      }
      const r = refocus(socket.data.focus ?? {}, doing, visitor);
      socket.data.focus = r.focus;
      announce(workspaceId, r.changed);
      return {};
    }, opts);
    // The socket has left its rooms by now: colleagues see this tab's visitors without it.
    socket.on('disconnect', () => announce(workspaceId, Object.values(socket.data.focus ?? {})));
  };

  return { onAgentConnection, snapshot };
}
