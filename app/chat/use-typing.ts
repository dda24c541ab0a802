// Who is typing in which conversation: the visitor (with their draft, under sneak peek) and the
// other agents. Typing events may be dropped, so every indicator expires unless it is renewed.
import { useEffect, useState } from 'react';
import type { AgentServerEvents, ChatMessage } from '../../server/protocol';
import type { AgentSocket } from '../lib/agent-socket';
import type { TypingInfo } from './chat-context';

/** An indicator with no news for this long goes away (a "stopped typing" may never come). */
const TYPING_TTL_MS = 8_000;

type TypingMap = ReadonlyMap<string, TypingInfo>;
type TypingEvent = Parameters<AgentServerEvents['chat:typing']>[0];

/** The map with `next` for the conversation, or without it once nobody is typing there. */
function withInfo(cur: TypingMap, conversationId: string, next: TypingInfo): TypingMap {
  const copy = new Map(cur);
  if (!next.visitor && next.agents.length === 0) copy.delete(conversationId);
  else copy.set(conversationId, next);
  return copy;
}

function typed(cur: TypingMap, p: TypingEvent, meId: string, until: number): TypingMap {
  const prev = cur.get(p.conversationId) ?? { visitor: null, agents: [] };
  let next: TypingInfo;
  if (p.from === 'visitor') {
    next = { ...prev, visitor: p.typing ? { text: typeof p.text === 'string' && p.text.trim() ? p.text : null, until } : null };
  } else {
    const from = p.from;
    if (from.id === meId) return cur;
    const agents = prev.agents.filter((a) => a.id !== from.id);
    if (p.typing) agents.push({ id: from.id, name: from.name, until });
    next = { ...prev, agents };
  }
  return withInfo(cur, p.conversationId, next);
}

/** A message ends its author's typing. */
function wrote(cur: TypingMap, m: ChatMessage): TypingMap {
  const t = cur.get(m.conversationId);
  if (!t) return cur;
  const next: TypingInfo =
    m.from === 'visitor' ? { ...t, visitor: null } : m.from === 'agent' && m.agent ? { ...t, agents: t.agents.filter((a) => a.id !== m.agent!.id) } : t;
  if (next === t) return cur;
  return withInfo(cur, m.conversationId, next);
}

function expired(cur: TypingMap, now: number): TypingMap {
  let changed = false;
  const copy = new Map<string, TypingInfo>();
  for (const [id, info] of cur) {
    const visitor = info.visitor && info.visitor.until > now ? info.visitor : null;
    const agents = info.agents.filter((a) => a.until > now);
    if (visitor !== info.visitor || agents.length !== info.agents.length) changed = true;
    if (visitor || agents.length) copy.set(id, { visitor, agents });
  }
  return changed ? copy : cur;
}

/** Typing indicators by conversation id; this agent's own typing is left out. */
export function useTypingIndicators(socket: AgentSocket | null, meId: string): TypingMap {
  const [typing, setTyping] = useState<TypingMap>(new Map());

  useEffect(() => {
    if (!socket) return;
    const onTyping = (p: TypingEvent) => {
      const until = Date.now() + TYPING_TTL_MS;
      setTyping((cur) => typed(cur, p, meId, until));
    };
    const onMessage = ({ message }: { message: ChatMessage }) => setTyping((cur) => wrote(cur, message));
    socket.on('chat:typing', onTyping);
    socket.on('chat:message', onMessage);
    return () => {
      socket.off('chat:typing', onTyping);
      socket.off('chat:message', onMessage);
    };
  }, [socket, meId]);

  useEffect(() => {
    if (typing.size === 0) return;
    const t = setInterval(() => {
      const now = Date.now();
      setTyping((cur) => expired(cur, now));
    }, 1_000);
    return () => clearInterval(t);
  }, [typing.size]);

  return typing;
}
