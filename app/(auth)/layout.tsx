import type { ReactNode } from 'react';
import { Brand } from '../components/brand';

export default function AuthLayout({ children }: { children: ReactNode }) {
  return (
    <main className="auth-shell">
      <div className="auth-box">
        <div className="auth-brand">
          <Brand href="/" />
        </div>
        {children}
      </div>
    </main>
  );
}
