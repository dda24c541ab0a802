// Shapes of what the server sends, checked before use: a widget that meets an unexpected
// payload (an older or newer server, a proxy that mangles frames) skips it instead of throwing
// inside the host page. Text stays untrusted: it is rendered as text, never as markup.
import type { AgentBrief, ChatMessage, VisitorChatInfo } from '../../../server/protocol';

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0;

export const isAgent = (v: unknown): v is AgentBrief => isObject(v) && typeof v.id === 'string' && typeof v.name === 'string' && typeof v.initials === 'string';

export const isAgentList = (v: unknown): v is AgentBrief[] => Array.isArray(v) && v.every(isAgent);

export function isMessage(v: unknown): v is ChatMessage {
  return (
    isObject(v) &&
    typeof v.id === 'string' &&
    isCount(v.seq) &&
    v.seq > 0 &&
    (v.from === 'visitor' || v.from === 'agent' || v.from === 'system') &&
    (v.agent === null || isAgent(v.agent)) &&
    typeof v.text === 'string' &&
    (v.event === null || typeof v.event === 'string') &&
    typeof v.at === 'number'
  );
}

export function isChatInfo(v: unknown): v is VisitorChatInfo {
  return (
    isObject(v) &&
    typeof v.team === 'string' &&
    typeof v.greeting === 'string' &&
    Array.isArray(v.agents) &&
    typeof v.sneakPeek === 'boolean' &&
    isCount(v.lastSeq) &&
    isCount(v.agentReadSeq) &&
    isCount(v.unread) &&
    (v.email === null || typeof v.email === 'string')
  );
}
