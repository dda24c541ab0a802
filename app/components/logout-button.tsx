'use client';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { authClient } from '../lib/auth-client';

export function LogoutButton() {
  const router = useRouter();
  const [busy, setBusy] = useState(false);
  async function logout() {
    setBusy(true);
    try {
      await authClient.signOut();
    } finally {
      router.replace('/login');
      router.refresh();
    }
  }
  return (
    <button type="button" className="btn btn-sm btn-dark" onClick={logout} disabled={busy} data-testid="logout">
      {busy ? 'Logging out…' : 'Log out'}
    </button>
  );
}
