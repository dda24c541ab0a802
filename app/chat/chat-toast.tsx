'use client';
// A short notice for the agent from anywhere in the shell (actions.notify), e.g. why a chat could
// not start. It goes away by itself after a few seconds.
import { useEffect, useState } from 'react';

const NOTICE_MS = 6_000;

/** The notice on screen and its setter; a new notice restarts the timer. */
export function useNotice(): [string | null, (notice: string | null) => void] {
  const [notice, setNotice] = useState<string | null>(null);
  useEffect(() => {
    if (!notice) return;
    const t = setTimeout(() => setNotice(null), NOTICE_MS);
    return () => clearTimeout(t);
  }, [notice]);
  return [notice, setNotice];
}

export function ChatToast({ notice, onDismiss }: { notice: string; onDismiss: () => void }) {
  return (
    <div className="chat-toast" role="status" data-testid="chat-toast">
      {notice}
      <button type="button" className="btn btn-ghost btn-sm" onClick={onDismiss} aria-label="Dismiss">
        ×
      </button>
    </div>
  );
}
