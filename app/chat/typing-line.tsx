// "Visitor is typing" under the thread: the visitor's draft when sneak peek shows it, and colleagues typing.
import { clip } from '../live/format';
import type { TypingInfo } from './chat-context';

/** "Amber Fox is typing: “how much is the…”" (the draft only with sneak peek), and other agents typing. */
export function TypingLine({ typing, label }: { typing: TypingInfo | undefined; label: string }) {
  if (!typing?.visitor && !typing?.agents.length) return <div className="typing-slot" aria-hidden="true" />;
  return (
    <div className="typing-slot" aria-live="polite">
      {typing.visitor && (
        <div className="typing" data-testid="typing-indicator">
          <span className="typing-dots" aria-hidden="true">
            <i />
            <i />
            <i />
          </span>
          <span>
            {clip(label, 40)} is typing
            {typing.visitor.text ? (
              <>
                :{' '}
                <em className="sneak" data-testid="sneak-peek" title="What they are typing, before they send it (sneak peek)">
                  “{clip(typing.visitor.text, 400)}”
                </em>
              </>
            ) : (
              '…'
            )}
          </span>
        </div>
      )}
      {typing.agents.map((a) => (
        <div className="typing typing-agent" key={a.id} data-testid="agent-typing">
          <span>{clip(a.name, 40)} is typing a reply…</span>
        </div>
      ))}
    </div>
  );
}
