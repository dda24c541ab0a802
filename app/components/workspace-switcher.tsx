'use client';
// The current workspace, in the header; a menu to switch when the user belongs to several.
import { usePathname, useRouter } from 'next/navigation';
import { useState } from 'react';

export interface WorkspaceChoice {
  id: string;
  name: string;
  current: boolean;
}

/**
 * Makes a workspace current, then shows the same page in it; a page about one of the old
 * workspace's sites or conversations goes to the list instead. False when the server refused.
 */
export function useSwitchWorkspace(): { switchTo: (workspaceId: string, stay?: boolean) => Promise<boolean>; busy: boolean } {
  const router = useRouter();
  const pathname = usePathname();
  const [busy, setBusy] = useState(false);
  const switchTo = async (workspaceId: string, stay = false) => {
    setBusy(true);
    const res = await fetch('/api/workspaces/current', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ workspaceId }) }).catch(() => null);
    setBusy(false);
    if (!res?.ok) return false;
    const list = /^\/(sites|conversations)\/./.exec(pathname)?.[1];
    if (list && !stay) router.push(`/${list}`);
    router.refresh();
    return true;
  };
  return { switchTo, busy };
}

export function WorkspaceSwitcher({ workspaces }: { workspaces: WorkspaceChoice[] }) {
  const { switchTo, busy } = useSwitchWorkspace();
  const current = workspaces.find((w) => w.current) ?? workspaces[0];
  if (!current || workspaces.length < 2) return null;

  return (
    <select className="workspace-switcher" aria-label="Current workspace" value={current.id} disabled={busy} onChange={(e) => void switchTo(e.target.value)} data-testid="workspace-switcher">
      {workspaces.map((w) => (
        <option key={w.id} value={w.id}>
          {w.name}
        </option>
      ))}
    </select>
  );
}
