'use client';
// The Conversations page's frame: the list of conversations (filters in the URL, updated live
// from chat:message / chat:conversation, no polling) beside the open conversation. On a phone
// the list and the conversation take the whole width in turn.
import Link from 'next/link';
import { usePathname, useSearchParams } from 'next/navigation';
import { memo, useEffect, useMemo, useState, type ReactNode } from 'react';
import type { ConversationSummary, InboxOwner, InboxStatus } from '../../server/protocol';
import { visitorLabel } from '../../server/chat/friendly-name';
import { initialsOf } from '../../server/initials';
import { useNow } from '../live/use-live-site';
import { clip } from '../live/format';
import { useChat, useChatActions, type TypingInfo } from './chat-context';
import { SoundIcon, BellIcon } from './icons';
import { inboxRows, parseInboxView, previewOf, serializeInboxView, shortAgo, viewKey, type InboxView } from './inbox';

interface Props {
  sites: { id: string; name: string }[];
  children: ReactNode;
}

const STATUS_TABS: { value: InboxStatus; label: string }[] = [
  { value: 'open', label: 'Open' },
  { value: 'waiting', label: 'Waiting' },
  { value: 'closed', label: 'Closed' },
  { value: 'all', label: 'All' },
];

const OWNER_LABEL: Record<InboxOwner, string> = { all: 'Everyone’s', mine: 'Assigned to me', unassigned: 'Unassigned' };

const OPEN_RE = /^\/conversations\/([^/]+)/;

export function InboxShell({ sites, children }: Props) {
  const chat = useChat();
  const actions = useChatActions();
  const pathname = usePathname();
  const params = useSearchParams();
  const openId = OPEN_RE.exec(pathname)?.[1] ?? null;

  // The view is the URL's; changing a filter rewrites the URL without a navigation.
  const [view, setView] = useState<InboxView>(() => parseInboxView(params));
  const qs = serializeInboxView(view);
  useEffect(() => {
    const next = `${window.location.pathname}${qs ? `?${qs}` : ''}`;
    if (next !== `${window.location.pathname}${window.location.search}`) window.history.replaceState(window.history.state, '', next);
  }, [qs, pathname]);

  const key = viewKey(view);
  const loaded = chat?.state.inbox.lists.get(key);
  const loading = chat?.loadingLists.has(key) ?? false;
  const connected = chat?.connected ?? false;
  // First page of this list, and again after every reconnect (which forgets what lists cover).
  useEffect(() => {
    if (connected && !loaded && !loading) actions?.loadList(view);
  }, [connected, loaded, loading, actions, view]);

  const me = chat?.me.id ?? '';
  const rows = useMemo(() => (chat ? inboxRows(chat.state.inbox, view, me, openId) : []), [chat, view, me, openId]);
  const now = useNow(30_000);
  const multiSite = sites.length > 1;

  if (!chat || !actions) return null;

  const empty = rows.length === 0;
  return (
    <div className={`inbox${openId ? ' inbox-has-open' : ''}`} data-testid="inbox">
      <section className="inbox-list" aria-label="Conversations">
        <div className="inbox-head">
          <div className="inbox-title">
            <h1>Conversations</h1>
            <AlertControls />
          </div>
          <div className="seg" role="group" aria-label="Status">
            {STATUS_TABS.map((t) => (
              <button
                key={t.value}
                type="button"
                aria-pressed={view.status === t.value}
                className="seg-btn"
                onClick={() => setView((v) => ({ ...v, status: t.value }))}
                data-testid={`inbox-status-${t.value}`}
              >
                {t.label}
              </button>
            ))}
          </div>
          <div className="inbox-filters">
            <select
              className={`select${view.owner !== 'all' ? ' is-set' : ''}`}
              aria-label="Assigned to"
              value={view.owner}
              onChange={(e) => setView((v) => ({ ...v, owner: e.target.value as InboxOwner }))}
              data-testid="inbox-owner"
            >
              {(['all', 'mine', 'unassigned'] as const).map((o) => (
                <option key={o} value={o}>
                  {OWNER_LABEL[o]}
                </option>
              ))}
            </select>
            {(multiSite || view.site) && (
              <select
                className={`select${view.site ? ' is-set' : ''}`}
                aria-label="Site"
                value={view.site ?? ''}
                onChange={(e) => setView((v) => ({ ...v, site: e.target.value || null }))}
                data-testid="inbox-site"
              >
                <option value="">Every site</option>
                {sites.map((s) => (
                  <option key={s.id} value={s.id}>
                    {clip(s.name, 40)}
                  </option>
                ))}
              </select>
            )}
          </div>
        </div>
        <NotificationBanner />
        {chat.listError && (
          <div className="alert alert-error inbox-alert" role="alert">
            {chat.listError}
          </div>
        )}
        <div className="inbox-scroll">
          {empty && (!loaded || loading) ? (
            <div className="inbox-skeleton" aria-busy="true" aria-label="Loading conversations">
              {Array.from({ length: 5 }, (_, i) => (
                <div key={i} className="skeleton" />
              ))}
            </div>
          ) : empty ? (
            <EmptyList view={view} />
          ) : (
            <ul className="conv-list" data-testid="conversation-list">
              {rows.map((c) => (
                <li key={c.id}>
                  <ConversationRow c={c} qs={qs} current={c.id === openId} now={now} typing={chat.typing.get(c.id)} showSite={multiSite} me={me} />
                </li>
              ))}
            </ul>
          )}
          {loaded?.more && !empty && (
            <div className="inbox-more">
              <button type="button" className="btn btn-sm" disabled={loading} onClick={() => actions.loadList(view, true)} data-testid="inbox-more">
                {loading ? 'Loading…' : 'Load older conversations'}
              </button>
            </div>
          )}
        </div>
      </section>
      <div className="inbox-main">{children}</div>
    </div>
  );
}

const ConversationRow = memo(function ConversationRow({
  c,
  qs,
  current,
  now,
  typing,
  showSite,
  me,
}: {
  c: ConversationSummary;
  qs: string;
  current: boolean;
  now: number;
  typing: TypingInfo | undefined;
  showSite: boolean;
  me: string;
}) {
  const label = visitorLabel(c.visitorId, c.visitorName);
  const preview = previewOf(c, label);
  const unread = c.unread > 0;
  const at = c.lastMessage?.at ?? c.updatedAt;
  return (
    <Link
      href={`/conversations/${c.id}${qs ? `?${qs}` : ''}`}
      className={`conv-row${unread ? ' is-unread' : ''}`}
      aria-current={current ? 'page' : undefined}
      data-testid="conversation-row"
      data-conversation-id={c.id}
      data-visitor-id={c.visitorId}
      scroll={false}
    >
      <span className={`conv-avatar${c.visitorName ? ' known' : ''}`} aria-hidden="true" style={c.visitorName ? undefined : { background: avatarColor(c.visitorId) }}>
        {initialsOf(label)}
      </span>
      <span className="conv-main">
        <span className="conv-top">
          <span className="conv-name" data-testid="conversation-name">
            {clip(label, 60)}
          </span>
          <time className="conv-time" dateTime={new Date(at).toISOString()} title={new Date(at).toLocaleString()}>
            {shortAgo(at, now)}
          </time>
        </span>
        <span className="conv-bottom">
          {typing?.visitor ? (
            <span className="conv-preview conv-typing">typing…</span>
          ) : (
            <span className="conv-preview" data-testid="conversation-preview">
              {preview.prefix && <span className="conv-you">{preview.prefix}</span>}
              {preview.text}
            </span>
          )}
          {unread && (
            <span className="conv-unread" data-testid="conversation-unread" aria-label={`${c.unread} unread`}>
              {c.unread > 99 ? '99+' : c.unread}
            </span>
          )}
        </span>
        <span className="conv-meta">
          {c.status === 'closed' ? (
            <span className="conv-pill conv-pill-closed">Closed</span>
          ) : c.waiting ? (
            <span className="conv-pill conv-pill-waiting">Waiting</span>
          ) : null}
          {showSite && <span className="conv-site">{clip(c.siteName, 30)}</span>}
          <span className="conv-owner">{c.assignee ? (c.assignee.id === me ? 'Assigned to you' : clip(c.assignee.name, 30)) : 'Unassigned'}</span>
        </span>
      </span>
    </Link>
  );
});

function EmptyList({ view }: { view: InboxView }) {
  const filtered = view.owner !== 'all' || view.site !== null;
  const what = view.status === 'waiting' ? 'Nobody is waiting for a reply' : view.status === 'closed' ? 'No closed conversations' : 'No conversations yet';
  return (
    <div className="inbox-empty" data-testid="inbox-empty">
      <h2>{filtered ? 'No conversations match these filters' : what}</h2>
      <p className="muted">
        {view.status === 'open' && !filtered
          ? 'When a visitor writes from the chat on your site, the conversation appears here. You can also start one from the Chat button in the live visitors table.'
          : 'Try another status or owner.'}
      </p>
    </div>
  );
}

/** The sound toggle and the notification permission, remembered per browser. */
export function AlertControls() {
  const chat = useChat();
  const actions = useChatActions();
  if (!chat || !actions) return null;
  return (
    <div className="alert-controls">
      <button
        type="button"
        className="btn btn-ghost btn-sm btn-icon"
        aria-pressed={chat.muted}
        title={chat.muted ? 'Alerts muted: no sound or desktop notification for new messages. Click to unmute.' : 'Mute sounds and desktop notifications for new messages'}
        aria-label={chat.muted ? 'Unmute message alerts' : 'Mute message alerts'}
        onClick={actions.toggleMute}
        data-testid="chat-mute"
      >
        <SoundIcon off={chat.muted} />
      </button>
    </div>
  );
}

function NotificationBanner() {
  const chat = useChat();
  const actions = useChatActions();
  if (!chat || !actions) return null;
  if (chat.permission === 'default') {
    return (
      <div className="notify-banner" data-testid="notify-banner">
        <BellIcon />
        <span>Get a desktop notification when a visitor writes while you are elsewhere.</span>
        <button type="button" className="btn btn-sm" onClick={() => void actions.enableNotifications()} data-testid="enable-notifications">
          Enable notifications
        </button>
      </div>
    );
  }
  if (chat.permission === 'denied') {
    return (
      <div className="notify-banner notify-banner-off" data-testid="notify-banner">
        <BellIcon off />
        <span>Desktop notifications are blocked for this site in your browser’s settings.</span>
      </div>
    );
  }
  return null;
}

const AVATAR_COLORS = ['#6b7fd7', '#3f9c8f', '#c0784a', '#8a6bc7', '#4f8fc0', '#b8607c', '#5f9a4f', '#9a7b3a'];

/** A stable color per anonymous visitor (the friendly name's companion). */
export function avatarColor(visitorId: string): string {
  let h = 0;
  for (let i = 0; i < visitorId.length; i++) h = (h * 31 + visitorId.charCodeAt(i)) >>> 0;
  return AVATAR_COLORS[h % AVATAR_COLORS.length]!;
}
