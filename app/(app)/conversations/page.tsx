import type { Metadata } from 'next';
import { ChatIcon } from '../../chat/icons';
import { requireUser } from '../../lib/session';

export const metadata: Metadata = { title: 'Conversations' };

export default async function ConversationsPage() {
  await requireUser('/conversations');
  return (
    <div className="convo-empty convo-none" data-testid="conversation-none">
      <span className="convo-empty-icon" aria-hidden="true">
        <ChatIcon />
      </span>
      <h2>Pick a conversation</h2>
      <p className="muted">
        Visitors write from the chat on your site; you can also start a conversation with anyone online from the Chat button in a site’s live
        visitors.
      </p>
    </div>
  );
}
