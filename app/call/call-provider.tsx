'use client';
// Mounted once in the (app) layout, under the agent socket: holds the agent's call (so it
// survives navigation between dashboard pages), shows the call dock, and lets call buttons
// anywhere start a call.
import { usePathname, useRouter } from 'next/navigation';
import { createContext, useContext, useEffect, useMemo, type ReactNode } from 'react';
import { isBusy, type CallTarget } from './call-state';
import { useVisitorFocus } from '../lib/use-visitor-focus';
import { CallDock } from './call-dock';
import { useCallController } from './use-call';

export interface CallActions {
  /** This agent is in (or setting up) a call: no other call can start. */
  busy: boolean;
  startCall: (target: CallTarget) => void;
}

const ActionsCtx = createContext<CallActions | null>(null);

export function CallProvider({ children }: { children: ReactNode }) {
  const controller = useCallController();
  const busy = isBusy(controller.state);
  const { startCall } = controller;
  // Call buttons re-render when busy changes only, not on every tick of the dock.
  const actions = useMemo(() => ({ busy, startCall }), [busy, startCall]);
  // The calls history is server-rendered: show a call appear and end there without a reload
  // (the server records it a moment after telling us).
  const router = useRouter();
  const onHistory = usePathname() === '/calls';
  const phase = controller.state.phase;
  // Colleagues see on the visitor's row that this agent is calling them, until the call is over.
  const target = busy ? controller.state.target : null;
  useVisitorFocus('calling', target?.siteId ?? null, target?.visitorId ?? null);
  useEffect(() => {
    if (!onHistory || (phase !== 'ringing' && phase !== 'ended')) return;
    const t = setTimeout(() => router.refresh(), 600);
    return () => clearTimeout(t);
  }, [onHistory, phase, router]);
  return (
    <ActionsCtx.Provider value={actions}>
      {children}
      <CallDock controller={controller} />
    </ActionsCtx.Provider>
  );
}

/** Null outside the dashboard shell (no call can be started there). */
export function useCallActions(): CallActions | null {
  return useContext(ActionsCtx);
}
