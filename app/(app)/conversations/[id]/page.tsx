import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { services } from '../../../../server/services';
import { ConversationView } from '../../../chat/conversation-view';
import { OtherWorkspace } from '../../../components/other-workspace';
import { requireUser, workspacesOf } from '../../../lib/session';
import { isUuid } from '../../../lib/site-json';

export const metadata: Metadata = { title: 'Conversations' };

export default async function ConversationPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const user = await requireUser(`/conversations/${encodeURIComponent(id)}`);
  if (!isUuid(id)) notFound();
  // Judged here as well as on the socket: someone else's id is a 404 like a site's. A link into
  // another of the user's workspaces (a shared URL, an old tab) offers the switch; the view only
  // ever shows the current workspace's conversations.
  const workspaces = await workspacesOf(user.id);
  const c = await services()
    .chat.forAgent({ userId: user.id, name: user.name, workspaceIds: workspaces.map((w) => w.id) }, id)
    .catch(() => null);
  const ws = c && workspaces.find((w) => w.id === c.workspaceId);
  if (!ws) notFound();
  if (!ws.current) return <OtherWorkspace workspace={ws} what="conversation" />;
  return <ConversationView key={id} conversationId={id} />;
}
