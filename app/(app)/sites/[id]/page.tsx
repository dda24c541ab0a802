import type { Metadata } from 'next';
import { services } from '../../../../server/services';
import { installSnippet } from '../../../../server/sites/install-snippet';
import { parseView, serializeView } from '../../../live/filters';
import { LiveVisitors } from '../../../live/live-visitors';
import { requireSite } from '../../../lib/session';

export const metadata: Metadata = { title: 'Live visitors' };

export default async function LiveVisitorsPage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { id } = await params;
  const query = await searchParams;
  const initialView = parseView(query);
  const qs = serializeView(initialView);
  const { site } = await requireSite(id, `/sites/${id}${qs ? `?${qs}` : ''}`);
  return (
    <LiveVisitors
      key={site.id}
      site={{ id: site.id, name: site.name, allowedOrigins: site.allowedOrigins }}
      snippet={installSnippet(services().publicUrl, site.publicKey)}
      initialView={initialView}
    />
  );
}
