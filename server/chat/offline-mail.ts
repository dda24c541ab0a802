// Emails the workspace's owners when a visitor writes while no agent is online (offline
// capture), when SMTP is configured. Subscribes to the domain bus; one email per conversation
// per quarter hour, so a visitor writing five lines sends one email, not five.
import { eq, and } from 'drizzle-orm';
import nodemailer from 'nodemailer';
import type { Db } from '../../drizzle/db';
import { user, workspaceMember } from '../../drizzle/schema';
import type { EventBus } from '../events/bus';
import { visitorLabel } from './friendly-name';

const THROTTLE_MS = 15 * 60_000;

export interface OfflineMailOptions {
  db: Db;
  bus: EventBus;
  smtpUrl: string;
  from: string;
  /** Where the dashboard is, for the link in the email. */
  publicUrl: string;
  now: () => number;
  log: (msg: string, err?: unknown) => void;
}

export function sendOfflineMail(o: OfflineMailOptions): { close(): void } {
  const transport = nodemailer.createTransport(o.smtpUrl);
  const lastSent = new Map<string, number>();
  const unsubscribe = o.bus.subscribe('chat:offline-message', async ({ conversation: c, message }) => {
    const now = o.now();
    const before = lastSent.get(c.summary.id);
    if (before !== undefined && now - before < THROTTLE_MS) return;
    lastSent.set(c.summary.id, now);
    if (lastSent.size > 10_000) lastSent.clear();
    const owners = await o.db
      .select({ email: user.email })
      .from(workspaceMember)
      .innerJoin(user, eq(user.id, workspaceMember.userId))
      .where(and(eq(workspaceMember.workspaceId, c.workspaceId), eq(workspaceMember.role, 'owner')));
    if (!owners.length) return;
    const who = visitorLabel(c.summary.visitorId, c.summary.visitorName);
    const replyTo = c.summary.visitorEmail ?? undefined;
    const link = `${o.publicUrl}/conversations/${c.summary.id}`;
    await transport.sendMail({
      from: o.from,
      to: owners.map((r) => r.email),
      ...(replyTo ? { replyTo } : {}),
      subject: `New message from ${who} on ${c.summary.siteName}`,
      text: [
        `${who}${replyTo ? ` <${replyTo}>` : ''} wrote on ${c.summary.siteName} while nobody was online:`,
        '',
        message.text,
        '',
        replyTo ? `Reply to this email to answer them, or open the conversation: ${link}` : `They left no email. Open the conversation: ${link}`,
      ].join('\n'),
    });
    o.log(`offline message emailed to ${owners.length} owner(s)`);
  });
  return {
    close: () => {
      unsubscribe();
      transport.close();
    },
  };
}
