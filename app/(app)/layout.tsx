import Link from 'next/link';
import type { ReactNode } from 'react';
import { services } from '../../server/services';
import { initialsOf } from '../../server/initials';
import { userImage } from '../account/account-data';
import '../account/user-link.css';
import { Brand } from '../components/brand';
import { CallProvider } from '../call/call-provider';
import { ChatProvider } from '../chat/chat-provider';
import { AvailabilityToggle } from '../components/availability-toggle';
import { LogoutButton } from '../components/logout-button';
import { WorkspaceSwitcher } from '../components/workspace-switcher';
import { NavLinks, type NavItem } from '../components/nav-links';
import { AgentSocketProvider } from '../lib/agent-socket';
import { currentUser, sitesOf, workspacesOf } from '../lib/session';

const MAX_SITES_IN_NAV = 6;

export default async function AppLayout({ children }: { children: ReactNode }) {
  // Each page calls requireUser(itsPath), so a signed-out visitor is sent to the login page and
  // brought back to where they were going; the shell itself needs a user to render.
  const user = await currentUser();
  if (!user) return <main id="main">{children}</main>;
  const [sites, image, workspaces] = await Promise.all([sitesOf(user.id), userImage(user.id), workspacesOf(user.id)]);
  const workspaceId = workspaces.find((w) => w.current)?.id ?? null;
  const items: NavItem[] = [
    { href: '/sites', label: 'All sites' },
    { href: '/conversations', label: 'Conversations', prefix: true, badge: 'chat' },
    { href: '/calls', label: 'Calls' },
    { href: '/team', label: 'Team' },
    ...sites.slice(0, MAX_SITES_IN_NAV).map((s) => ({ href: `/sites/${s.id}`, label: s.name, prefix: true })),
  ];
  const initials = initialsOf(user.name || user.email);
  // One /agent socket per tab, and the agent's call and chat on it, for every page of the shell:
  // a call goes on, and new messages still chime, while the agent moves between dashboard pages.
  return (
    <AgentSocketProvider userId={user.id} workspaceId={workspaceId}>
      <CallProvider>
        {/* A new workspace starts a new inbox: nothing of the last one's conversations stays. */}
        <ChatProvider key={workspaceId} me={{ id: user.id, name: user.name || user.email }}>
          <a className="skip-link" href="#main">
            Skip to content
          </a>
          <header className="topbar">
            <Brand />
            <WorkspaceSwitcher workspaces={workspaces} />
            <NavLinks items={items} className="topnav" />
            <div className="user-menu">
              <Link href="/account" className="user-link" data-testid="account-link">
                <span className="sr-only">Your account: </span>
                <span className="avatar" aria-hidden="true">
                  {/* The user's picture is a small data URL (see app/account/avatar-field.tsx). */}
                  {/* eslint-disable-next-line @next/next/no-img-element */}
                  {image ? <img src={image} alt="" /> : initials}
                </span>
                <span className="who">
                  <strong data-testid="header-user-name">{user.name}</strong>
                  <span>{user.email}</span>
                </span>
              </Link>
              <AvailabilityToggle idleAfterMs={services().agentIdleAwayMs} />
              <LogoutButton />
            </div>
          </header>
          <main id="main" className="app-main">
            {children}
          </main>
        </ChatProvider>
      </CallProvider>
    </AgentSocketProvider>
  );
}
