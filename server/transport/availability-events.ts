// Online / Away for dashboards. The Away choice is stored (server/team) and carried on every socket
// of the agent, on every process; "idle" is one hidden tab's. Who is online is decided by
// server/team/availability.ts; the chat transport tells visitors when it changes.
import type { TeamService } from '../team/team-service';
import { userRoom } from './agent-namespace';
import { on, tokenBucket } from './handler';
import type { AgentNamespace, AgentSocket } from './io';
import { AvailabilitySchema } from './schemas';

export interface AvailabilityDeps {
  agentNsp: AgentNamespace;
  team: Pick<TeamService, 'setAway'>;
  /** Someone's availability changed: who is online must be told again. */
  onChange: (userId: string) => void;
  log: (msg: string, err?: unknown) => void;
  /** Several processes share the adapter: the choice is told to the others too. */
  cluster: boolean;
}


export function createAvailabilityTransport(d: AvailabilityDeps) {
  /** This process's sockets of the user take the choice (other processes hear it by serverSideEmit). */
  const applyLocally = (userId: string, away: boolean) => {
    for (const s of d.agentNsp.sockets.values()) if (s.data.userId === userId) s.data.away = away;
    d.onChange(userId);
  };
  d.agentNsp.on('agent:away', ({ userId, away }) => applyLocally(userId, away));

  const onAgentConnection = (socket: AgentSocket): void => {
    const { userId } = socket.data;
    socket.emit('agent:availability', { away: socket.data.away });
    const opts = { limiter: tokenBucket(5, 20), onError: (err: unknown) => d.log('availability event failed', err) };
    on(socket, 'agent:availability', AvailabilitySchema, async (p) => {
      if (p.idle !== undefined && p.idle !== socket.data.idle) {
        socket.data.idle = p.idle;
        if (p.away === undefined) d.onChange(userId);
      }
      if (p.away !== undefined && p.away !== socket.data.away) {
        await d.team.setAway(userId, p.away);
        applyLocally(userId, p.away);
        if (d.cluster) d.agentNsp.serverSideEmit('agent:away', { userId, away: p.away });
        // Every tab of theirs (on any process) shows the new choice.
        d.agentNsp.to(userRoom(userId)).emit('agent:availability', { away: p.away });
      }
      return { away: socket.data.away };
    }, opts);
  };

  return { onAgentConnection };
}
