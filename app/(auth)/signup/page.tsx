import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { currentUser, safeReturnPath } from '../../lib/session';
import { AuthForm } from '../auth-form';

export const metadata: Metadata = { title: 'Sign up' };

export default async function SignupPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const next = safeReturnPath((await searchParams).next);
  if (await currentUser()) redirect(next);
  return <AuthForm mode="signup" next={next} />;
}
