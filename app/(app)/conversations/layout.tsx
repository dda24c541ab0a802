import type { ReactNode } from 'react';
import { services } from '../../../server/services';
import { InboxShell } from '../../chat/inbox-shell';
import { requireUser } from '../../lib/session';

// The list stays mounted while the agent opens one conversation after another (a layout
// persists across its pages): no reload, no lost scroll position, live all along.
export default async function ConversationsLayout({ children }: { children: ReactNode }) {
  const user = await requireUser('/conversations');
  const sites = await services().sites.listForUser(user.id);
  return <InboxShell sites={sites.map((s) => ({ id: s.id, name: s.name }))}>{children}</InboxShell>;
}
