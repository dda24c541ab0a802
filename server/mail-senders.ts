// Outgoing mail, only when SMTP_URL is set: offline chat messages to the workspace's owners,
// and team invitations. Both listen on the bus; without SMTP the dashboard shows what they would.
import { sendOfflineMail } from './chat/offline-mail';
import type { CoreServices, ServerBasics } from './core-services';
import { sendInvitationMail } from './team/invitation-mail';

export interface MailSendersDeps extends ServerBasics, Pick<CoreServices, 'bus'> {
  /** Where the dashboard is, for the links in the emails. */
  publicUrl: string;
}

export function startMailSenders(d: MailSendersDeps): { close(): void } {
  const { smtpUrl, from } = d.config.mail;
  const { db, bus, publicUrl, now, log } = d;
  const mail = smtpUrl ? sendOfflineMail({ db, bus, smtpUrl, from, publicUrl, now, log }) : null;
  const inviteMail = smtpUrl ? sendInvitationMail({ bus, smtpUrl, from, log }) : null;
  return {
    close: () => {
      mail?.close();
      inviteMail?.close();
    },
  };
}
