// Tells the agent when a visitor writes where they are not looking: a chime and a desktop
// notification that opens the conversation. Muting silences both and is remembered.
import { useRouter } from 'next/navigation';
import { useCallback, useEffect, useRef, useState } from 'react';
import type { ChatMessage, ConversationSummary } from '../../server/protocol';
import { visitorLabel } from '../../server/chat/friendly-name';
import type { AgentSocket } from '../lib/agent-socket';
import {
  loadMuted,
  notificationPermission,
  playChime,
  requestNotificationPermission,
  saveMuted,
  showNotification,
  unlockAudioOnGesture,
  type Permission,
} from './alerts';
import { alerts, systemText } from './inbox';

/** At most one chime per conversation in this window, however many messages it gets. */
const CHIME_GAP_MS = 1_500;

export interface ChatAlerts {
  muted: boolean;
  permission: Permission;
  toggleMute(): void;
  /** Asks the browser (from a click) to allow desktop notifications. */
  enableNotifications(): Promise<void>;
}

/** `isOpen`: whether a conversation is on screen in this tab (looking at it needs no alert). */
export function useChatAlerts(socket: AgentSocket | null, isOpen: (conversationId: string) => boolean): ChatAlerts {
  const router = useRouter();
  const [muted, setMuted] = useState(false);
  const [permission, setPermission] = useState<Permission>('default');
  // The socket listener reads these without being re-added on every change.
  const mutedRef = useRef(false);
  // An agent who chose Away is not rung (the server says so on connect and on every change).
  const awayRef = useRef(false);
  const lastChime = useRef(new Map<string, number>());
  const routerRef = useRef(router);
  routerRef.current = router;

  useEffect(() => {
    const m = loadMuted();
    mutedRef.current = m;
    setMuted(m);
    setPermission(notificationPermission());
    return unlockAudioOnGesture();
  }, []);

  useEffect(() => {
    if (!socket) return;
    const onMessage = ({ message, conversation }: { message: ChatMessage; conversation: ConversationSummary }) => {
      if (!alerts(message)) return;
      const looking = document.visibilityState === 'visible' && isOpen(conversation.id);
      if (looking || mutedRef.current || awayRef.current) return;
      const now = Date.now();
      if (now - (lastChime.current.get(conversation.id) ?? 0) > CHIME_GAP_MS) {
        lastChime.current.set(conversation.id, now);
        playChime();
      }
      const label = visitorLabel(conversation.visitorId, conversation.visitorName);
      const body = message.from === 'system' ? systemText(message.event, null, label) : message.text.slice(0, 200);
      showNotification(label, body, `porchlight-chat-${conversation.id}`, () => routerRef.current.push(`/conversations/${conversation.id}`));
    };
    const onAvailability = ({ away }: { away: boolean }) => {
      awayRef.current = away;
    };
    // A colleague (or the rotation) gave this agent a conversation.
    const onAssigned = ({ conversation, by }: { conversation: ConversationSummary; by: { name: string } | null }) => {
      if (mutedRef.current || awayRef.current || (document.visibilityState === 'visible' && isOpen(conversation.id))) return;
      playChime();
      const label = visitorLabel(conversation.visitorId, conversation.visitorName);
      showNotification(`${by ? by.name : 'Porchlight'} gave you a conversation`, label, `porchlight-assigned-${conversation.id}`, () => routerRef.current.push(`/conversations/${conversation.id}`));
    };
    socket.on('chat:message', onMessage);
    socket.on('agent:availability', onAvailability);
    socket.on('chat:assigned', onAssigned);
    return () => {
      socket.off('chat:assigned', onAssigned);
      socket.off('chat:message', onMessage);
      socket.off('agent:availability', onAvailability);
    };
  }, [socket, isOpen]);

  const toggleMute = useCallback(() => {
    const next = !mutedRef.current;
    mutedRef.current = next;
    saveMuted(next);
    setMuted(next);
  }, []);

  const enableNotifications = useCallback(async () => {
    setPermission(await requestNotificationPermission());
  }, []);

  return { muted, permission, toggleMute, enableNotifications };
}
