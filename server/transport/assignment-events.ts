// Assignment over /agent: take over, hand on, the members to choose from; round-robin for new
// visitor conversations; the colleague who receives one is told on every tab of theirs.
import type { AssignmentService } from '../chat/assignment-service';
import type { AgentContext } from '../chat/chat-service';
import type { StoredConversation } from '../chat/chat-store';
import type { EventBus } from '../events/bus';
import { initialsOf } from '../initials';
import type { AgentBrief } from '../protocol';
import { userRoom } from './agent-namespace';
import { wrap } from './chat-refusals';
import { on, tokenBucket } from './handler';
import type { AgentNamespace, AgentSocket } from './io';
import { AssignSchema, ConversationRefSchema } from './schemas';

export interface AssignmentDeps {
  assignment: AssignmentService;
  bus: EventBus;
  agentNsp: AgentNamespace;
  /** Who is online in a workspace now (any process). */
  agentsOnline: (workspaceId: string) => Promise<AgentBrief[]>;
  /** The live row of the conversation's visitor shows the new assignee. */
  onAssigned: (conversation: StoredConversation) => void;
  workspaceRoom: (workspaceId: string) => string;
  log: (msg: string, err?: unknown) => void;
}

const brief = (m: { id: string; name: string }): AgentBrief => ({ id: m.id, name: m.name, initials: initialsOf(m.name) });

export function createAssignmentTransport(d: AssignmentDeps) {
  d.bus.subscribe('chat:conversation-opened', async ({ conversation: c }) => {
    const online = await d.agentsOnline(c.workspaceId);
    await d.assignment.assignNew(c, online.map((a) => a.id));
  });
  d.bus.subscribe('chat:assigned', ({ conversation: c, by, toUserId }) => {
    d.agentNsp.to(d.workspaceRoom(c.workspaceId)).emit('chat:conversation', { conversation: c.summary });
    d.onAssigned(c);
    if (toUserId && toUserId !== by?.id) d.agentNsp.to(userRoom(toUserId)).emit('chat:assigned', { conversation: c.summary, by: by ? brief(by) : null });
  });

  const onAgentConnection = (socket: AgentSocket, ctx: () => Promise<AgentContext>): void => {
    const opts = { limiter: tokenBucket(10, 30), onError: (err: unknown) => d.log('assignment event failed', err) };
    on(socket, 'chat:assign', AssignSchema, wrap(async (p) => ({ conversation: (await d.assignment.assign(await ctx(), p.conversationId, p.to)).summary })), opts);
    on(socket, 'chat:assignees', ConversationRefSchema, wrap(async (p) => {
      const { workspaceId, members } = await d.assignment.assignees(await ctx(), p.conversationId);
      const online = new Set((await d.agentsOnline(workspaceId)).map((x) => x.id));
      return { agents: members.map((m) => ({ ...brief(m), online: online.has(m.id) })) };
    }), opts);
  };

  return { onAgentConnection };
}
