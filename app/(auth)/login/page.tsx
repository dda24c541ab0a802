import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { services } from '../../../server/services';
import { currentUser, safeReturnPath } from '../../lib/session';
import { AuthForm } from '../auth-form';

export const metadata: Metadata = { title: 'Log in' };

export default async function LoginPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const next = safeReturnPath((await searchParams).next);
  if (await currentUser()) redirect(next);
  const demo = services().demo;
  return <AuthForm mode="login" next={next} demo={demo ? { email: demo.email, password: demo.password } : null} />;
}
