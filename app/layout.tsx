import type { Metadata, Viewport } from 'next';
import type { ReactNode } from 'react';
import './globals.css';
import './chat/chat.css';

export const metadata: Metadata = {
  title: { default: 'Porchlight', template: '%s · Porchlight' },
  description: 'See who is on your website right now and talk to them.',
};
export const viewport: Viewport = { themeColor: '#14161c' };
// Every page depends on the session and live services: nothing is prerendered at build time.
export const dynamic = 'force-dynamic';

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>{children}</body>
    </html>
  );
}
