'use client';
// The current workspace, in the header; a menu to switch when the user belongs to several.
import { useRouter } from 'next/navigation';
import { useState } from 'react';

export interface WorkspaceChoice {
  id: string;
  name: string;
  current: boolean;
}

export function WorkspaceSwitcher({ workspaces }: { workspaces: WorkspaceChoice[] }) {
  const router = useRouter();
  const current = workspaces.find((w) => w.current) ?? workspaces[0];
  const [busy, setBusy] = useState(false);
  if (!current || workspaces.length < 2) return null;

  const switchTo = async (workspaceId: string) => {
    setBusy(true);
    const res = await fetch('/api/workspaces/current', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ workspaceId }) }).catch(() => null);
    setBusy(false);
    if (res?.ok) {
      router.push('/team');
      router.refresh();
    }
  };

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
