// socket.io, typed with the protocol's event maps. socket.io types one event map per server, and
// Porchlight has two namespaces with different events: this is the one place that says which
// map belongs to which namespace (the only cast between socket.io and the protocol).
import type http from 'node:http';
import type { Role } from '../access/access';
import type { Focus } from '../attention/attention';
import { Server, type Namespace, type ServerOptions, type Socket } from 'socket.io';
import { NAMESPACES, type AgentClientEvents, type AgentServerEvents, type InterServerEvents, type VisitorClientEvents, type VisitorServerEvents } from '../protocol';

export interface VisitorSocketData {
  siteId: string;
  workspaceId: string;
  visitorId: string;
  tabId: string;
  visitId: string;
  /** The id inside this browser's signed visitor token: its conversation is the one with this id. */
  tokenId: string;
}

export interface AgentSocketData {
  userId: string;
  name: string;
  /** The dashboard session it was opened with: signing out or revoking it closes the socket. */
  sessionId: string;
  /** The agent chose Away (every tab of theirs carries it). */
  away: boolean;
  /** This tab has been hidden for the idle time. */
  idle: boolean;
  /**
   * The one workspace this socket works in, named by the page that opened it (handshake
   * `auth.workspaceId`; the user's selected one when absent). Null: the user has none yet.
   */
  workspaceId: string | null;
  /** The user's role there when the socket connected; a role change closes the socket. */
  role: Role | null;
  /** Which visitor this tab has open, per kind (server/attention): colleagues see it on the row. */
  focus?: Focus;
  /**
   * The agent's picture as visitors load it (server/http/avatars.ts `avatarPath`), from the
   * session's user when the socket connected: a new picture shows with the next connection.
   */
  avatar?: string | null;
}

export type VisitorNamespace = Namespace<VisitorClientEvents, VisitorServerEvents, InterServerEvents, VisitorSocketData>;
export type AgentNamespace = Namespace<AgentClientEvents, AgentServerEvents, InterServerEvents, AgentSocketData>;
export type VisitorSocket = Socket<VisitorClientEvents, VisitorServerEvents, InterServerEvents, VisitorSocketData>;
export type AgentSocket = Socket<AgentClientEvents, AgentServerEvents, InterServerEvents, AgentSocketData>;
export type PorchlightIo = Server<Record<string, never>, Record<string, never>, InterServerEvents>;

export function createIo(httpServer: http.Server, options: Partial<ServerOptions>): { io: PorchlightIo; visitors: VisitorNamespace; agents: AgentNamespace } {
  const io: PorchlightIo = new Server(httpServer, options);
  return {
    io,
    visitors: io.of(NAMESPACES.visitor) as unknown as VisitorNamespace,
    agents: io.of(NAMESPACES.agent) as unknown as AgentNamespace,
  };
}
