// zod schemas for everything a client sends. Strings are capped: a visitor controls them all.
import { z } from 'zod';
import { CHAT_MAX_LENGTH } from '../protocol/chat';

const text = (max: number) => z.string().max(max);
const id = z.string().min(8).max(64).regex(/^[A-Za-z0-9_-]+$/);
const url = z.string().max(2048).refine((u) => /^https?:\/\//i.test(u), 'must be an http(s) URL');

export const UtmSchema = z
  .object({
    source: text(200).optional(),
    medium: text(200).optional(),
    campaign: text(200).optional(),
    term: text(200).optional(),
    content: text(200).optional(),
  })
  .strict();

export const PageSchema = z.object({ url, title: text(300) }).strict();
export const TabStateSchema = z.enum(['active', 'idle', 'hidden']);

export const VisitorHandshakeSchema = z
  .object({
    visitorId: id,
    tabId: id,
    visitId: id,
    visitStartedAt: z.number().finite(),
    visitCount: z.number().int().min(1).max(1_000_000),
    page: PageSchema,
    referrer: z.union([url, z.literal('')]),
    utm: UtmSchema,
    language: text(35),
    timeZone: text(64),
    screen: z.object({ w: z.number().int().min(0).max(100_000), h: z.number().int().min(0).max(100_000) }).strict(),
    state: TabStateSchema,
    token: z.string().max(128).optional(),
  })
  .strict();

export const VisitorPageSchema = PageSchema.extend({ referrer: z.union([url, z.literal('')]).optional() }).strict();
export const VisitorStateSchema = z.object({ state: TabStateSchema }).strict();

const attrValue = z.union([text(500), z.number().finite(), z.boolean()]);
export const IdentifySchema = z
  .object({
    name: text(200).optional(),
    email: text(254).optional(),
    attributes: z
      .record(z.string().min(1).max(64), attrValue)
      .refine((r) => Object.keys(r).length <= 30, 'at most 30 attributes')
      .optional(),
  })
  .strict();

export const AvailabilitySchema = z.object({ away: z.boolean().optional(), idle: z.boolean().optional() }).strict();
/** The /agent handshake's auth: the workspace the dashboard page is showing (optional for API clients). */
export const AgentHandshakeSchema = z.object({ workspaceId: z.string().uuid().optional() });
export const VisitorFocusSchema = z
  .object({ doing: z.enum(['viewing', 'chatting', 'calling']), visitor: z.object({ siteId: z.string().uuid(), visitorId: id }).strict().nullable() })
  .strict();
export const SiteRefSchema = z.object({ siteId: z.string().uuid() }).strict();
export const VisitorRefSchema = z.object({ siteId: z.string().uuid(), visitorId: id }).strict();

// ---- calls ----
const callId = z.string().uuid();
const CallMediaSchema = z.object({ audio: z.boolean(), video: z.boolean() }).strict();
const ProblemsSchema = z.array(z.enum(['camera_denied', 'camera_missing', 'microphone_denied', 'microphone_missing'])).max(4);

export const CallRefSchema = z.object({ callId }).strict();
export const CallStartSchema = z.object({ siteId: z.string().uuid(), visitorId: id, video: z.boolean() }).strict();
export const CallAcceptSchema = z.object({ callId, media: CallMediaSchema, problems: ProblemsSchema.optional() }).strict();
export const CallRejoinSchema = CallAcceptSchema.extend({ resumeToken: z.string().min(8).max(64) }).strict();
/** Opaque to the server (SDP or an ICE candidate as JSON): only its size is checked. */
export const CallSignalSchema = z.object({ callId, data: z.string().min(1).max(20_000) }).strict();
export const CallMediaStateSchema = z.object({ callId, audio: z.boolean(), video: z.boolean(), screen: z.boolean().optional() }).strict();

// ---- chat ----
/** A message id chosen by its sender (the snippet's ids and UUIDs both fit). */
const messageId = z.string().min(8).max(64).regex(/^[A-Za-z0-9_-]+$/);
/** Message text: not only whitespace, at most CHAT_MAX_LENGTH UTF-16 units. */
const messageText = z
  .string()
  .max(CHAT_MAX_LENGTH, `at most ${CHAT_MAX_LENGTH} characters`)
  .refine((t) => t.trim().length > 0, 'empty message');
const seq = z.number().int().min(0).max(2 ** 31 - 1);
const conversationId = z.string().uuid();

export const EmptySchema = z.object({}).strict();
export const VisitorChatSendSchema = z.object({ id: messageId, text: messageText, email: z.string().max(254).email().optional() }).strict();
export const ChatRequestCallSchema = z.object({ id: messageId }).strict();
export const VisitorChatTypingSchema = z.object({ typing: z.boolean(), text: z.string().max(CHAT_MAX_LENGTH).optional() }).strict();
export const VisitorChatReadSchema = z.object({ seq }).strict();
export const VisitorChatSyncSchema = z.object({ after: seq }).strict();

export const InboxFilterSchema = z
  .object({
    siteId: z.string().uuid().optional(),
    visitorId: id.optional(),
    status: z.enum(['open', 'waiting', 'closed', 'all']).optional(),
    owner: z.enum(['mine', 'unassigned', 'all']).optional(),
    before: z.number().int().min(0).optional(),
    limit: z.number().int().min(1).max(200).optional(),
  })
  .strict();
export const AgentChatSyncSchema = z.object({ conversationId, after: seq }).strict();
export const AgentChatSendSchema = z.object({ conversationId, id: messageId, text: messageText }).strict();
export const AgentChatTypingSchema = z.object({ conversationId, typing: z.boolean() }).strict();
export const AgentChatReadSchema = z.object({ conversationId, seq }).strict();
export const ConversationRefSchema = z.object({ conversationId }).strict();
export const AssignSchema = z.object({ conversationId, to: z.string().min(1).max(100).nullable() }).strict();
