// Gives the two namespaces their handlers: /visitor (presence, site keys, and the calls and chat
// a visitor socket may start) and /agent (dashboards: calls, attention, chat with assignment,
// availability). The calls and chat transports are built before this (call-wiring.ts,
// chat-wiring.ts); here each socket's connection is handed to them, in this order.
import { AssignmentService } from './chat/assignment-service';
import { AssignmentStore } from './chat/assignment-store';
import { visitorTokens } from './chat/visitor-token';
import type { CallWiring } from './call-wiring';
import type { ChatWiring } from './chat-wiring';
import type { CoreServices, ServerBasics } from './core-services';
import type { SocketServer } from './socket-server';
import { attachAgentNamespace } from './transport/agent-namespace';
import { createAssignmentTransport } from './transport/assignment-events';
import { createAttentionTransport } from './transport/attention-events';
import { createAvailabilityTransport } from './transport/availability-events';
import { workspaceRoom } from './transport/chat-events';
import { attachSiteKeys } from './transport/site-keys';
import { attachVisitorNamespace } from './transport/visitor-namespace';

export interface NamespaceWiringDeps
  extends ServerBasics,
    Omit<CoreServices, 'installMonitor'>,
    Omit<SocketServer, 'io'>,
    Omit<CallWiring, 'calls'>,
    ChatWiring {
  dashboardOrigins: string[];
}

export interface NamespaceWiring {
  siteKeys: { close(): void };
  assignmentService: AssignmentService;
}

export function wireNamespaces(d: NamespaceWiringDeps): NamespaceWiring {
  const { config, db, sites, bus, presence, history, cluster, visitorNsp, agentNsp, callTransport, chatTransport, now, log } = d;
  const clustered = cluster.shared;

  attachVisitorNamespace(visitorNsp, {
    sites,
    presence,
    history,
    country: d.country,
    tokens: visitorTokens(d.secret),
    trustedProxies: config.trustedProxies,
    now,
    log,
    bus,
    onIdentify: chatTransport.onIdentify,
    abuse: d.abuse ?? undefined,
    events: d.visitorEvents,
    onConnection: (socket) => {
      callTransport.onVisitorConnection(socket);
      chatTransport.onVisitorConnection(socket);
    },
  });
  const siteKeys = attachSiteKeys(visitorNsp, { sites, cluster: clustered, now, log });

  const availability = createAvailabilityTransport({ agentNsp, team: d.team, onChange: chatTransport.onAvailabilityChange, log, cluster: clustered });
  const assignmentService = new AssignmentService(new AssignmentStore(db), d.chatStore, d.chat, bus, now);
  const assignment = createAssignmentTransport({
    assignment: assignmentService,
    bus,
    agentNsp,
    agentsOnline: chatTransport.agentsOnline,
    onAssigned: chatTransport.setLive,
    workspaceRoom,
    log,
  });
  const attention = createAttentionTransport({ agentNsp, sites, workspaceRoom, log });
  attachAgentNamespace(agentNsp, {
    onConnection: (socket) => {
      callTransport.onAgentConnection(socket);
      attention.onAgentConnection(socket);
      assignment.onAgentConnection(socket, chatTransport.onAgentConnection(socket));
      availability.onAgentConnection(socket);
    },
    callRecords: d.callRecords,
    auth: d.auth,
    db,
    sites,
    team: d.team,
    bus,
    presence,
    history,
    dashboardOrigins: () => d.dashboardOrigins,
    attention: attention.snapshot,
    cluster,
    log,
  });
  return { siteKeys, assignmentService };
}
