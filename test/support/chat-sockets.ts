// The chat tests' world: a server that mails offline messages to a real SMTP receiver and lets a
// visitor send 12 messages a minute (see workspace-sockets.ts for the people and sites), and the
// moves every chat test makes: an agent's dashboard, a visitor's tab, a visitor's message.
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import type { ChatMessage } from '../../server/protocol';
import type { TestDbKind } from './db';
import { ask, must, agentSocket, connected, handshake, nextEvent, sleep, visitorSocket, type Account, type AgentSocket, type VisitorSocket } from './server';
import { ORIGIN, useWorkspaceSockets, type WorkspaceSockets } from './workspace-sockets';

export { ORIGIN };

/** A real SMTP server on 127.0.0.1 that keeps what it receives. */
async function smtpReceiver() {
  const mails: { to: string[]; body: string }[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    onData(stream, session, done) {
      let body = '';
      stream.on('data', (c: Buffer) => (body += c.toString()));
      stream.on('end', () => {
        mails.push({ to: session.envelope.rcptTo.map((r) => r.address), body });
        done();
      });
    },
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.server.address() as AddressInfo).port;
  return { url: `smtp://127.0.0.1:${port}`, mails, close: () => new Promise<void>((r) => server.close(() => r())) };
}

type VisitorAuth = ReturnType<typeof handshake>;

export interface ChatSockets extends WorkspaceSockets {
  smtp: Awaited<ReturnType<typeof smtpReceiver>>;
  agent(a: Account): Promise<AgentSocket>;
  /** A visitor tab; `token` undefined = first contact (the server issues one). */
  visitor(o?: { auth?: VisitorAuth; key?: string }): Promise<{ s: VisitorSocket; auth: VisitorAuth & { token: string } }>;
  send(v: VisitorSocket, text: string, id?: string, extra?: object): Promise<{ message: ChatMessage }>;
}

/** Registers the describe block's hooks; the fields are there once beforeAll has run. */
export function useChatSockets(kind: TestDbKind): ChatSockets {
  const w = useWorkspaceSockets(kind, {
    benName: 'Ben Okafor',
    before: async () => {
      w.smtp = await smtpReceiver();
    },
    env: () => ({ SMTP_URL: w.smtp.url, CHAT_VISITOR_MESSAGES_PER_MINUTE: '12' }),
    after: async () => {
      await w.smtp?.close();
    },
  }) as ChatSockets;

  w.agent = async (a) => {
    const s = w.track(agentSocket(w.server.url, a.cookie));
    await connected(s);
    // The socket joins its workspace rooms right after connecting.
    await sleep(100);
    return s;
  };
  w.visitor = async (o = {}) => {
    const auth = o.auth ?? handshake();
    const s = w.track(visitorSocket(w.server.url, { key: o.key ?? w.site.publicKey, origin: ORIGIN, auth }));
    const token = auth.token ? Promise.resolve(auth.token) : nextEvent<{ token: string }>(s, 'visitor:token').then((t) => t.token);
    await connected(s);
    return { s, auth: { ...auth, token: await token } };
  };
  w.send = (v, text, id = randomUUID(), extra = {}) => must(ask<{ message: ChatMessage }>(v, 'chat:send', { id, text, ...extra }));
  return w;
}
