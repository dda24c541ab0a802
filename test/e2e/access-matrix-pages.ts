// The access matrix's rows for the dashboard pages under app/(app) (see access-matrix.test.ts).
import { expect } from 'vitest';
import type { Fixture, Member, Persona } from '../support/access-fixture';

/**
 * One dashboard page. `member` says what each member must see in it. Every page is a redirect to
 * the login page for the stranger; the site pages are "not found" for the outsider, the others
 * are their own (X's) and show nothing of W.
 */
interface PageRow {
  /** The page file under app/(app), as in the tree. */
  file: string;
  path: (f: Fixture) => string;
  outsider: 200 | 404;
  member: (f: Fixture, who: Member, html: string) => void;
  /**
   * Cells that fail today because of a product bug (reported, not fixed here): they run as
   * `it.fails`, so they turn red, asking for the marker to go, once the product is fixed.
   */
  knownBugs?: Partial<Record<Persona, string>>;
}

export const PAGES: PageRow[] = [
  { file: 'sites/page.tsx', path: () => '/sites', outsider: 200, member: (f, _who, html) => expect(html).toContain(f.site.name) },
  { file: 'sites/[id]/page.tsx', path: (f) => `/sites/${f.site.id}`, outsider: 404, member: (f, _who, html) => expect(html).toContain(f.site.name) },
  {
    file: 'sites/[id]/settings/page.tsx',
    path: (f) => `/sites/${f.site.id}/settings`,
    outsider: 404,
    member: (f, who, html) => {
      if (who === 'agent') {
        expect(html).toContain("Only the workspace's owners and admins can change site settings");
        expect(html).not.toContain('data-testid="site-form"');
      } else {
        expect(html).toContain('data-testid="site-form"');
        expect(html).toContain(f.site.publicKey);
      }
    },
  },
  { file: 'sites/[id]/install/page.tsx', path: (f) => `/sites/${f.site.id}/install`, outsider: 404, member: (f, _who, html) => expect(html).toContain(f.site.publicKey) },
  {
    file: 'team/page.tsx',
    path: () => '/team',
    outsider: 200,
    member: (f, who, html) => {
      expect(html).toContain(f.workspaceW.name);
      expect(html).toContain(f.people.agent.email);
      // Only owners and admins get the invitation form.
      expect(html.includes('data-testid="invite-form"')).toBe(who !== 'agent');
    },
  },
  { file: 'conversations/page.tsx', path: () => '/conversations', outsider: 200, member: (f, _who, html) => expect(html).toContain(f.site.name) },
  // Judged on the page (404 for another workspace's id) and again on the socket (chat:sync).
  {
    file: 'conversations/[id]/page.tsx',
    path: (f) => `/conversations/${f.conversationId}`,
    outsider: 404,
    member: () => {},
  },
  { file: 'calls/page.tsx', path: () => `/calls`, outsider: 200, member: (f, _who, html) => expect(html).toContain('data-testid="call-row"') },
  { file: 'account/page.tsx', path: () => '/account', outsider: 200, member: (f, who, html) => expect(html).toContain(f.people[who].email) },
];
