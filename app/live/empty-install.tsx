// Shown when nobody is on the site: how to get the first visitor in.
import Link from 'next/link';
import { CodeBlock } from '../components/code-block';

export function EmptyInstall({ siteName, snippet, installHref, origins }: { siteName: string; snippet: string; installHref: string; origins: string[] }) {
  return (
    <section className="card install-empty" data-testid="empty-state" aria-labelledby="empty-title">
      <div className="lead">
        <span className="waiting">
          <span className="dot dot-live" aria-hidden="true" />
          Listening for visitors
        </span>
        <h2 id="empty-title">Nobody is on {siteName} right now</h2>
        <p>
          As soon as someone opens a page that has the Porchlight snippet, they appear here, live: no reload needed. If you have not
          installed it yet, paste the snippet just before <span className="inline-code">&lt;/head&gt;</span> on every page.
        </p>
        <p>
          Pages must be served from an allowed origin:{' '}
          {origins.map((o, i) => (
            <span key={o}>
              {i > 0 && ', '}
              <span className="inline-code">{o}</span>
            </span>
          ))}
          .
        </p>
        <Link className="btn btn-primary" href={installHref}>
          Full install instructions
        </Link>
      </div>
      <div>
        <CodeBlock code={snippet} label="Install snippet" testId="empty-snippet" />
      </div>
    </section>
  );
}
