import Link from 'next/link';
import { Brand } from './components/brand';

export default function NotFound() {
  return (
    <main className="auth-shell">
      <div className="auth-box">
        <div className="auth-brand">
          <Brand />
        </div>
        <div className="card auth-card">
          <h1>Page not found</h1>
          <p>This page does not exist, or it belongs to a workspace you are not a member of.</p>
          <Link className="btn btn-primary" href="/sites">
            Go to your sites
          </Link>
        </div>
      </div>
    </main>
  );
}
