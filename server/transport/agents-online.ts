// Who is online: agent sockets in their workspace rooms, on any process. Visitors with the chat
// panel open are told whenever that may have changed.
import type { ChatService } from '../chat/chat-service';
import { initialsOf } from '../initials';
import type { AgentBrief } from '../protocol';
import { onlineAgents } from '../team/availability';
import { panelRoom, workspaceRoom } from './chat-rooms';
import type { AgentNamespace, VisitorNamespace } from './io';

export interface AgentsOnlineDeps {
  chat: Pick<ChatService, 'workspacesOf'>;
  agentNsp: AgentNamespace;
  visitorNsp: VisitorNamespace;
  log: (msg: string, err?: unknown) => void;
}

export function createAgentsOnline(d: AgentsOnlineDeps) {
  const agentsOnline = async (workspaceId: string): Promise<AgentBrief[]> => {
    const sockets = await d.agentNsp.in(workspaceRoom(workspaceId)).fetchSockets();
    return onlineAgents(sockets.map((s) => s.data)).map((a) => ({ id: a.userId, name: a.name, initials: initialsOf(a.name), avatar: a.avatar ?? null }));
  };
  /** For the Team page: who has a dashboard open, and who of them counts as online. */
  const agentPresence = async (workspaceId: string): Promise<{ connected: string[]; online: string[] }> => {
    const tabs = (await d.agentNsp.in(workspaceRoom(workspaceId)).fetchSockets()).map((s) => s.data);
    return { connected: [...new Set(tabs.map((t) => t.userId))], online: onlineAgents(tabs).map((t) => t.userId) };
  };
  const announceAgents = (workspaceId: string): void => {
    agentsOnline(workspaceId).then(
      (agents) => d.visitorNsp.to(panelRoom(workspaceId)).emit('chat:agents', { agents }),
      (err) => d.log('agents online lookup failed', err),
    );
  };
  /** An agent went Away, came back, or a tab of theirs went idle: visitors see who is online now. */
  const onAvailabilityChange = (userId: string): void => {
    d.chat.workspacesOf(userId).then(
      (ids) => ids.forEach(announceAgents),
      (err) => d.log('agent workspaces lookup failed', err),
    );
  };
  return { agentsOnline, agentPresence, announceAgents, onAvailabilityChange };
}
