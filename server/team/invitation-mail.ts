// Emails an invitation link when SMTP is configured (the Team page always shows the link too).
import nodemailer from 'nodemailer';
import type { EventBus } from '../events/bus';

export interface InvitationMailOptions {
  bus: EventBus;
  smtpUrl: string;
  from: string;
  log: (msg: string, err?: unknown) => void;
}

export function sendInvitationMail(o: InvitationMailOptions): { close(): void } {
  const transport = nodemailer.createTransport(o.smtpUrl);
  const unsubscribe = o.bus.subscribe('team:invited', async (e) => {
    const by = e.invitedByName || 'A teammate';
    await transport.sendMail({
      from: o.from,
      to: e.email,
      subject: `${by} invited you to ${e.workspaceName} on Porchlight`,
      text: [
        `${by} invited you to join ${e.workspaceName} on Porchlight as ${e.role === 'admin' ? 'an admin' : 'an agent'}.`,
        '',
        `Accept the invitation: ${e.link}`,
        '',
        `The link works once and expires on ${new Date(e.expiresAt).toUTCString()}.`,
      ].join('\n'),
    });
    o.log('invitation emailed');
  });
  return {
    close: () => {
      unsubscribe();
      transport.close();
    },
  };
}
