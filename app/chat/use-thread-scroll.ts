// The thread opens at its end and follows new messages while the agent is at the end; otherwise a "jump to latest" shows.
import { useLayoutEffect, useRef, useState } from 'react';
import type { TypingInfo } from './chat-context';

/** `count`: the bubbles in the thread (sent and pending). */
export function useThreadScroll(count: number, typing: TypingInfo | undefined) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const atEnd = useRef(true);
  const [showJump, setShowJump] = useState(false);
  const typingShown = !!typing?.visitor || !!typing?.agents.length;
  useLayoutEffect(() => {
    const el = scrollRef.current;
    if (!el) return;
    if (atEnd.current) el.scrollTop = el.scrollHeight;
    else setShowJump(true);
  }, [count, typingShown, typing?.visitor?.text]);
  const onScroll = () => {
    const el = scrollRef.current;
    if (!el) return;
    atEnd.current = el.scrollHeight - el.scrollTop - el.clientHeight < 80;
    if (atEnd.current) setShowJump(false);
  };
  const jump = () => {
    const el = scrollRef.current;
    if (el) el.scrollTo({ top: el.scrollHeight, behavior: 'smooth' });
    atEnd.current = true;
    setShowJump(false);
  };
  return { scrollRef, showJump, onScroll, jump };
}
