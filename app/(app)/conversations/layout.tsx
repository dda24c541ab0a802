import type { ReactNode } from 'react';
import { InboxShell } from '../../chat/inbox-shell';
import { currentUser, sitesOf } from '../../lib/session';

// The list stays mounted while the agent opens one conversation after another (a layout
// persists across its pages): no reload, no lost scroll position, live all along.
export default async function ConversationsLayout({ children }: { children: ReactNode }) {
  // Signed out: the page itself sends them to the login page and back to where they were going
  // (a conversation's own address, say, from an email).
  const user = await currentUser();
  if (!user) return children;
  const sites = await sitesOf(user.id);
  return <InboxShell sites={sites.map((s) => ({ id: s.id, name: s.name }))}>{children}</InboxShell>;
}
