import { headers } from 'next/headers';
import { services } from '../server/services';

export default async function Home() {
  const s = services();
  const session = await s.auth.api.getSession({ headers: await headers() });
  return <main><h1>Porchlight</h1><p>{session ? `Signed in as ${session.user.email}` : 'Not signed in'}</p></main>;
}
