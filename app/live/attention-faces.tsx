// Colleagues on a visitor, as small faces (their picture or initials): on the live table's row,
// and with what each is doing in the visitor panel. Names come from the workspace's members.
import type { AgentAttention } from '../../server/protocol';
import './attention.css';
import { attentionSentence, attentionShort } from './attention';

const MAX_FACES = 3;

function Face({ a }: { a: AgentAttention }) {
  return (
    <span className={`face face-${a.doing}`} title={attentionSentence(a)} aria-hidden="true">
      {/* A URL on this origin (server/http/avatars.ts); initials show until it loads, and if it fails. */}
      {/* eslint-disable-next-line @next/next/no-img-element */}
      {a.avatar ? <img src={a.avatar} alt="" loading="lazy" onError={(e) => e.currentTarget.remove()} /> : null}
      <span className="face-initials">{a.initials}</span>
    </span>
  );
}

/** The row's stack: up to three faces and "+N". */
export function AttentionFaces({ agents }: { agents: readonly AgentAttention[] }) {
  if (agents.length === 0) return null;
  const shown = agents.slice(0, MAX_FACES);
  const more = agents.length - shown.length;
  return (
    <span className="faces" data-testid="row-attention" title={agents.map(attentionSentence).join('\n')}>
      <span className="sr-only">{agents.map(attentionSentence).join('. ')}</span>
      {shown.map((a) => (
        <Face key={a.id} a={a} />
      ))}
      {more > 0 && <span className="face face-more" aria-hidden="true">+{more}</span>}
    </span>
  );
}

/** The panel's line: "Also here: (A) Ana chatting · (B) Bo looking". */
export function AttentionList({ agents }: { agents: readonly AgentAttention[] }) {
  if (agents.length === 0) return null;
  return (
    <div className="attention-list" data-testid="panel-attention" role="status">
      <span className="attention-label">Also here:</span>
      {agents.map((a) => (
        <span key={a.id} className="attention-item" title={attentionSentence(a)}>
          <Face a={a} />
          <span>
            {a.name} <span className="muted">{attentionShort(a)}</span>
          </span>
        </span>
      ))}
    </div>
  );
}
