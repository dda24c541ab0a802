import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { ConversationView } from '../../../chat/conversation-view';
import { requireUser } from '../../../lib/session';

export const metadata: Metadata = { title: 'Conversations' };

export default async function ConversationPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  await requireUser(`/conversations/${encodeURIComponent(id)}`);
  // Conversation ids are opaque to the dashboard; the server decides whether this agent may see it.
  if (!/^[A-Za-z0-9_-]{1,100}$/.test(id)) notFound();
  return <ConversationView key={id} conversationId={id} />;
}
