// A client that stops reading its socket (a frozen tab, a stalled network, a hostile script) makes
// the server queue everything sent to it, without bound, until the heartbeat gives up on it 45 s
// later: one dashboard watching a busy site grew RSS by 30 MB in 70 s. Every second, each socket's
// unsent bytes are measured, and a socket past the limit is disconnected, so one slow reader
// never costs everyone else memory.
/** The parts of an engine.io connection that hold unsent data (engine.io's types keep them private). */
interface ConnLike {
  transport?: { name?: string; socket?: { bufferedAmount?: number } };
  writeBuffer?: { data?: unknown }[];
}

/** Bytes queued for this connection and not yet taken by the client. */
export function bufferedBytes(conn: ConnLike): number {
  // WebSocket: what ws and the TCP socket still hold; long-polling: packets waiting for a poll.
  let n = conn.transport?.socket?.bufferedAmount ?? 0;
  for (const p of conn.writeBuffer ?? []) n += typeof p.data === 'string' ? p.data.length : p.data instanceof Buffer ? p.data.length : 0;
  return n;
}

export interface SlowReaderOptions {
  maxBytes: number;
  everyMs?: number;
  log: (msg: string, err?: unknown) => void;
  /** Told of each disconnect (metrics). */
  onDisconnect?: (namespace: string) => void;
}

/** What is needed of a socket.io namespace (any of its typed variants). */
interface NamespaceLike {
  name: string;
  sockets: ReadonlyMap<string, { conn: unknown; disconnect(close?: boolean): unknown }>;
}

/** Checks every socket of these namespaces on this process; returns the stop function. */
export function watchSlowReaders(namespaces: readonly NamespaceLike[], o: SlowReaderOptions): () => void {
  const timer = setInterval(() => {
    for (const nsp of namespaces) {
      for (const socket of nsp.sockets.values()) {
        // The boundary with engine.io's private connection state (see ConnLike).
        const bytes = bufferedBytes(socket.conn as unknown as ConnLike);
        if (bytes <= o.maxBytes) continue;
        o.log(`disconnected a ${nsp.name} socket that stopped reading (${Math.round(bytes / 1024)} KB unsent)`, new Error('slow reader'));
        o.onDisconnect?.(nsp.name);
        socket.disconnect(true);
      }
    }
  }, o.everyMs ?? 1_000);
  timer.unref();
  return () => clearInterval(timer);
}
