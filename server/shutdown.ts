// Stopping a running Porchlight, in an order that loses nothing: timers and transports first so
// nothing new starts, then the sockets (their disconnects still end calls and write history),
// then the writers those go through, then what spans processes, and the services handle last.
import type http from 'node:http';
import type { CallWiring } from './call-wiring';
import type { ChatWiring } from './chat-wiring';
import type { CoreServices } from './core-services';
import type { NamespaceWiring } from './namespace-wiring';
import { setServices } from './services';
import type { SocketServer } from './socket-server';

export interface RunningParts
  extends Pick<CoreServices, 'installMonitor' | 'history'>,
    Pick<SocketServer, 'io' | 'cluster' | 'abuse'>,
    CallWiring,
    Pick<ChatWiring, 'chatTransport'>,
    Pick<NamespaceWiring, 'siteKeys'> {
  flusher: { stop(): void };
  stopSlowReaders: () => void;
  /** The mail senders (mail-senders.ts). */
  mail: { close(): void };
  httpServer: http.Server;
}

export async function stopPorchlight(p: RunningParts): Promise<void> {
  p.flusher.stop();
  p.stopSlowReaders();
  p.siteKeys.close();
  p.callTransport.close();
  p.chatTransport.close();
  p.mail.close();
  p.calls.close();
  await new Promise<void>((resolve) => p.io.close(() => resolve()));
  await p.callRecords.flush();
  await p.installMonitor.stop();
  await p.history.stop();
  await p.cluster.close();
  await p.abuse?.close();
  p.httpServer.closeAllConnections();
  setServices(undefined);
}
