// The one bridge from Next.js code (pages, route handlers) to the services the server built.
// Next bundles its own copy of modules, so the instances are handed over on globalThis;
// this file holds types only otherwise, so nothing heavy (PGlite, pg) enters Next's bundle.
import type { Auth } from './auth';
import type { Db } from '../drizzle/db';
import type { CallFilter } from './calls/call-records';
import type { CallRecord } from './protocol';
import type { PresenceEngine } from './presence/engine';
import type { SiteStore } from './sites/site-store';
import type { TeamService } from './team/team-service';
import type { AssignmentService } from './chat/assignment-service';
import type { ChatService } from './chat/chat-service';

export interface Services {
  auth: Auth;
  db: Db;
  sites: SiteStore;
  presence: PresenceEngine;
  /** Where browsers reach this server, e.g. http://localhost:3000. */
  publicUrl: string;
  demo: { url: string; email: string; password: string } | null;
  team: TeamService;
  /** Conversations, for pages that must know which workspace one belongs to. */
  chat: Pick<ChatService, 'forAgent'>;
  /** How new conversations get an agent, per workspace (the Team page's setting). */
  assignment: Pick<AssignmentService, 'mode' | 'setMode'>;
  /** A dashboard tab hidden this long stops counting its agent as online (AGENT_IDLE_AWAY_MS). */
  agentIdleAwayMs: number;
  /** Stored calls, for the calls history page (the caller passes the user's own site ids). */
  calls: {
    list(f: CallFilter): Promise<CallRecord[]>;
    agents(siteIds: string[]): Promise<{ id: string; name: string }[]>;
  };
}

const KEY = Symbol.for('porchlight.services');
type Holder = { [KEY]?: Services };

export function setServices(s: Services | undefined): void {
  (globalThis as Holder)[KEY] = s;
}

export function services(): Services {
  const s = (globalThis as Holder)[KEY];
  if (!s) throw new Error('Porchlight services are not running: start the app with `npm start`, not `next start`.');
  return s;
}
