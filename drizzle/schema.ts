// Database schema: accounts (better-auth's tables), workspaces and sites, and visit history.
// Live presence is not here: it lives in memory (server/presence).
import { relations } from 'drizzle-orm';
import { ROLES } from '../server/access/access';
import { ASSIGNMENT_MODES } from '../server/chat/assignment';
import { DEFAULT_CHAT_GREETING } from '../server/protocol/widget';
import { bigserial, boolean, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

// ---- better-auth core tables (field names as better-auth expects them) ----
export const user = pgTable('user', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  email: text('email').notNull().unique(),
  emailVerified: boolean('email_verified').notNull().default(false),
  image: text('image'),
  createdAt: ts('created_at').notNull().defaultNow(),
  updatedAt: ts('updated_at').notNull().defaultNow(),
});

export const session = pgTable('session', {
  id: text('id').primaryKey(),
  expiresAt: ts('expires_at').notNull(),
  token: text('token').notNull().unique(),
  createdAt: ts('created_at').notNull().defaultNow(),
  updatedAt: ts('updated_at').notNull().defaultNow(),
  ipAddress: text('ip_address'),
  userAgent: text('user_agent'),
  userId: text('user_id').notNull().references(() => user.id, { onDelete: 'cascade' }),
}, (t) => [index('session_user_idx').on(t.userId)]);

export const account = pgTable('account', {
  id: text('id').primaryKey(),
  accountId: text('account_id').notNull(),
  providerId: text('provider_id').notNull(),
  userId: text('user_id').notNull().references(() => user.id, { onDelete: 'cascade' }),
  accessToken: text('access_token'),
  refreshToken: text('refresh_token'),
  idToken: text('id_token'),
  accessTokenExpiresAt: ts('access_token_expires_at'),
  refreshTokenExpiresAt: ts('refresh_token_expires_at'),
  scope: text('scope'),
  password: text('password'),
  createdAt: ts('created_at').notNull().defaultNow(),
  updatedAt: ts('updated_at').notNull().defaultNow(),
}, (t) => [index('account_user_idx').on(t.userId)]);

export const verification = pgTable('verification', {
  id: text('id').primaryKey(),
  identifier: text('identifier').notNull(),
  value: text('value').notNull(),
  expiresAt: ts('expires_at').notNull(),
  createdAt: ts('created_at').notNull().defaultNow(),
  updatedAt: ts('updated_at').notNull().defaultNow(),
});

// ---- tenancy ----
export const workspace = pgTable('workspace', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  createdAt: ts('created_at').notNull().defaultNow(),
  /** How new visitor conversations get an agent (server/chat/assignment.ts). */
  assignmentMode: text('assignment_mode', { enum: ASSIGNMENT_MODES }).notNull().default('first_reply'),
  /** The agent the rotation gave a conversation to last. */
  rotationLastUserId: text('rotation_last_user_id'),
});

export const workspaceMember = pgTable('workspace_member', {
  workspaceId: text('workspace_id').notNull().references(() => workspace.id, { onDelete: 'cascade' }),
  userId: text('user_id').notNull().references(() => user.id, { onDelete: 'cascade' }),
  role: text('role', { enum: ROLES }).notNull(),
  createdAt: ts('created_at').notNull().defaultNow(),
  /** When a dashboard of theirs was last connected (the Team page's "last activity"). */
  lastActiveAt: ts('last_active_at'),
  /** When the user last chose this workspace (joining one chooses it): the latest is their current one. */
  selectedAt: ts('selected_at'),
  /** The member chose Away: visitors see them offline and nothing rings for them. */
  away: boolean('away').notNull().default(false),
}, (t) => [primaryKey({ columns: [t.workspaceId, t.userId] }), index('member_user_idx').on(t.userId)]);

/** A link that lets one person join a workspace with a role. Only a hash of its token is kept. */
export const invitation = pgTable('invitation', {
  id: text('id').primaryKey(),
  workspaceId: text('workspace_id').notNull().references(() => workspace.id, { onDelete: 'cascade' }),
  email: text('email').notNull(),
  role: text('role', { enum: ['admin', 'agent'] }).notNull(),
  tokenHash: text('token_hash').notNull().unique(),
  invitedBy: text('invited_by').references(() => user.id, { onDelete: 'set null' }),
  invitedByName: text('invited_by_name').notNull(),
  createdAt: ts('created_at').notNull(),
  expiresAt: ts('expires_at').notNull(),
  acceptedAt: ts('accepted_at'),
  acceptedBy: text('accepted_by').references(() => user.id, { onDelete: 'set null' }),
  revokedAt: ts('revoked_at'),
}, (t) => [index('invitation_workspace_idx').on(t.workspaceId)]);

export const site = pgTable('site', {
  id: text('id').primaryKey(),
  workspaceId: text('workspace_id').notNull().references(() => workspace.id, { onDelete: 'cascade' }),
  name: text('name').notNull(),
  /** Public: it is in every customer page. What protects a site is its allowed origins. */
  publicKey: text('public_key').notNull().unique(),
  allowedOrigins: jsonb('allowed_origins').$type<string[]>().notNull(),
  /** The first line of the chat panel ("Hi! How can we help?"). */
  chatGreeting: text('chat_greeting').notNull().default(DEFAULT_CHAT_GREETING),
  /** Agents see what visitors type before they send it. */
  chatSneakPeek: boolean('chat_sneak_peek').notNull().default(true),
  /** The widget's accent colour, #rrggbb (server/protocol/widget.ts). */
  widgetAccent: text('widget_accent').notNull().default('#2563eb'),
  /** Which bottom corner the launcher sits in: 'left' or 'right'. */
  widgetSide: text('widget_side').$type<'left' | 'right'>().notNull().default('right'),
  /** px between the bottom of the screen and the launcher (0-400), to clear the page's own buttons. */
  widgetOffset: integer('widget_offset').notNull().default(20),
  /** Shown on the launcher; '' for the round button named in the visitor's language. */
  widgetLauncherText: text('widget_launcher_text').notNull().default(''),
  /** 'auto' (the visitor's browser language) or one of en, es, de, fr, pt. */
  widgetLanguage: text('widget_language').$type<'auto' | 'en' | 'es' | 'de' | 'fr' | 'pt'>().notNull().default('auto'),
  createdAt: ts('created_at').notNull().defaultNow(),
  updatedAt: ts('updated_at').notNull().defaultNow(),
  /** The key before the last rotation: accepted until previousKeyUntil, refused after. */
  previousKey: text('previous_key').unique(),
  previousKeyUntil: ts('previous_key_until'),
  /** Where and when a visitor last connected (the Install page's "installed"); written at most once a minute. */
  lastSeenOrigin: text('last_seen_origin'),
  lastSeenAt: ts('last_seen_at'),
}, (t) => [index('site_workspace_idx').on(t.workspaceId)]);

/** Origins whose pages tried this site's key and were refused (server/sites/install-monitor.ts): a few per site. */
export const refusedOrigin = pgTable('refused_origin', {
  siteId: text('site_id').notNull().references(() => site.id, { onDelete: 'cascade' }),
  origin: text('origin').notNull(),
  count: integer('count').notNull(),
  firstSeenAt: ts('first_seen_at').notNull(),
  lastSeenAt: ts('last_seen_at').notNull(),
}, (t) => [primaryKey({ columns: [t.siteId, t.origin] })]);

// ---- history (written in batches by server/history) ----
export const visitor = pgTable('visitor', {
  siteId: text('site_id').notNull().references(() => site.id, { onDelete: 'cascade' }),
  visitorKey: text('visitor_key').notNull(),
  firstSeenAt: ts('first_seen_at').notNull(),
  lastSeenAt: ts('last_seen_at').notNull(),
  visitCount: integer('visit_count').notNull().default(1),
  name: text('name'),
  email: text('email'),
  attributes: jsonb('attributes').$type<Record<string, string | number | boolean>>().notNull().default({}),
}, (t) => [primaryKey({ columns: [t.siteId, t.visitorKey] })]);

export const visit = pgTable('visit', {
  /** Derived from (site, visitor, visit key): see server/history/visit-id.ts. */
  id: text('id').primaryKey(),
  siteId: text('site_id').notNull().references(() => site.id, { onDelete: 'cascade' }),
  visitorKey: text('visitor_key').notNull(),
  visitKey: text('visit_key').notNull(),
  startedAt: ts('started_at').notNull(),
  lastSeenAt: ts('last_seen_at').notNull(),
  landingUrl: text('landing_url').notNull(),
  referrer: text('referrer').notNull(),
  source: text('source').notNull(),
  utm: jsonb('utm').$type<Record<string, string>>().notNull().default({}),
  country: text('country'),
  deviceType: text('device_type').notNull(),
  browser: text('browser').notNull(),
  os: text('os').notNull(),
}, (t) => [
  uniqueIndex('visit_key_idx').on(t.siteId, t.visitorKey, t.visitKey),
  index('visit_started_idx').on(t.siteId, t.startedAt),
]);

export const pageView = pgTable('page_view', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  visitId: text('visit_id').notNull().references(() => visit.id, { onDelete: 'cascade' }),
  url: text('url').notNull(),
  title: text('title').notNull(),
  at: ts('at').notNull(),
}, (t) => [index('page_view_visit_idx').on(t.visitId, t.at)]);

// ---- calls (one row per call, written at invite and at end by server/calls/call-records.ts) ----
export const call = pgTable('call', {
  id: text('id').primaryKey(),
  siteId: text('site_id').notNull().references(() => site.id, { onDelete: 'cascade' }),
  visitorKey: text('visitor_key').notNull(),
  /** The agent's user id; kept (not a foreign key) so a removed user's calls stay in the history. */
  agentId: text('agent_id').notNull(),
  agentName: text('agent_name').notNull(),
  video: boolean('video').notNull(),
  startedAt: ts('started_at').notNull(),
  answeredAt: ts('answered_at'),
  endedAt: ts('ended_at'),
  durationMs: integer('duration_ms'),
  /** answered | declined | missed | cancelled | failed; null while the call goes on. */
  outcome: text('outcome', { enum: ['answered', 'declined', 'missed', 'cancelled', 'failed'] }),
  endedBy: text('ended_by', { enum: ['agent', 'visitor', 'system'] }),
  reason: text('reason'),
}, (t) => [
  index('call_site_started_idx').on(t.siteId, t.startedAt),
  index('call_visitor_idx').on(t.siteId, t.visitorKey, t.startedAt),
  index('call_agent_idx').on(t.agentId, t.startedAt),
]);

// ---- chat (written on the path of the ack by server/chat/chat-store.ts) ----
export const conversation = pgTable('conversation', {
  id: text('id').primaryKey(),
  siteId: text('site_id').notNull().references(() => site.id, { onDelete: 'cascade' }),
  visitorKey: text('visitor_key').notNull(),
  /** The id in the visitor's signed token: only that browser's connections reach this conversation. */
  visitorToken: text('visitor_token').notNull(),
  status: text('status', { enum: ['open', 'closed'] }).notNull().default('open'),
  /** The last seq handed out; the next message gets lastSeq + 1. */
  lastSeq: integer('last_seq').notNull().default(0),
  /** When the visitor's oldest unanswered message arrived; null when answered. */
  waitingSince: ts('waiting_since'),
  /** A visitor wrote while no agent was online (and may have left an email). */
  offline: boolean('offline').notNull().default(false),
  assigneeId: text('assignee_id'),
  assigneeName: text('assignee_name'),
  visitorName: text('visitor_name'),
  visitorEmail: text('visitor_email'),
  lastText: text('last_text'),
  lastFrom: text('last_from', { enum: ['visitor', 'agent', 'system'] }),
  lastEvent: text('last_event'),
  lastAt: ts('last_at'),
  /** Visitor messages no agent has read / agent messages the visitor has not read. */
  agentUnread: integer('agent_unread').notNull().default(0),
  visitorUnread: integer('visitor_unread').notNull().default(0),
  visitorReadSeq: integer('visitor_read_seq').notNull().default(0),
  agentReadSeq: integer('agent_read_seq').notNull().default(0),
  createdAt: ts('created_at').notNull(),
  updatedAt: ts('updated_at').notNull(),
  closedAt: ts('closed_at'),
}, (t) => [
  uniqueIndex('conversation_visitor_idx').on(t.siteId, t.visitorKey, t.visitorToken),
  index('conversation_site_updated_idx').on(t.siteId, t.updatedAt),
  index('conversation_site_status_idx').on(t.siteId, t.status, t.updatedAt),
  index('conversation_assignee_idx').on(t.assigneeId, t.updatedAt),
]);

export const chatMessage = pgTable('chat_message', {
  conversationId: text('conversation_id').notNull().references(() => conversation.id, { onDelete: 'cascade' }),
  seq: integer('seq').notNull(),
  /** The sender's id for the message: a resend with the same id is the same message. */
  clientId: text('client_id').notNull(),
  sender: text('sender', { enum: ['visitor', 'agent', 'system'] }).notNull(),
  /** The agent's user id; kept (not a foreign key) so a removed user's messages stay. */
  agentId: text('agent_id'),
  agentName: text('agent_name'),
  body: text('body').notNull(),
  event: text('event'),
  at: ts('at').notNull(),
}, (t) => [primaryKey({ columns: [t.conversationId, t.seq] }), uniqueIndex('chat_message_client_idx').on(t.conversationId, t.clientId)]);

export const siteRelations = relations(site, ({ one }) => ({
  workspace: one(workspace, { fields: [site.workspaceId], references: [workspace.id] }),
}));
