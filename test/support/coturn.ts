// A real coturn (Debian's `turnserver`, package coturn) for tests: started on 127.0.0.1 with a
// random shared secret (`use-auth-secret`, the TURN REST scheme Porchlight mints credentials for),
// on a free listening port and a small free relay port range, and killed (its process group) on
// stop. TURNSERVER_PATH overrides where the binary is.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import dgram from 'node:dgram';
import { accessSync, constants, mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

export interface Coturn {
  /** turn:127.0.0.1:<port>?transport=udp */
  url: string;
  port: number;
  secret: string;
  realm: string;
  /** Relay ports coturn may allocate from (inclusive). */
  relayPorts: { min: number; max: number };
  /** What coturn printed so far (its log goes to stdout). */
  output(): string;
  stop(): Promise<void>;
}

export const COTURN_REALM = 'porchlight.test';

/** The turnserver binary, or undefined when it is not installed. */
export function findTurnserver(): string | undefined {
  const candidates = process.env.TURNSERVER_PATH
    ? [process.env.TURNSERVER_PATH]
    : ['/usr/bin/turnserver', ...(process.env.PATH ?? '').split(path.delimiter).filter(Boolean).map((d) => path.join(d, 'turnserver'))];
  for (const c of candidates) {
    try {
      accessSync(c, constants.X_OK);
      return c;
    } catch {
      // next
    }
  }
  return undefined;
}

/**
 * Tests that need coturn skip only when it is not installed AND CI_REQUIRE_TURN is unset
 * (.ci/run installs coturn and sets it, so CI never skips them silently).
 */
export function shouldSkipTurnTests(): boolean {
  return !findTurnserver() && !process.env.CI_REQUIRE_TURN;
}

export async function startCoturn(): Promise<Coturn> {
  const bin = findTurnserver();
  if (!bin) {
    throw new Error(
      process.env.TURNSERVER_PATH
        ? `coturn not found: TURNSERVER_PATH=${process.env.TURNSERVER_PATH} is not an executable file`
        : 'coturn is not installed: no turnserver binary at /usr/bin/turnserver or on PATH (install it with `apt-get install -y coturn`, or set TURNSERVER_PATH)',
    );
  }
  const secret = randomBytes(24).toString('hex');
  const dir = mkdtempSync(path.join(os.tmpdir(), 'porchlight-coturn-'));

  // A port can be taken between the check and coturn's bind: retry a few times on a failed start.
  let lastError: unknown;
  for (let attempt = 0; attempt < 4; attempt++) {
    const port = await freePort();
    const relay = await freeUdpRange(16, port);
    try {
      return await launch(bin, dir, secret, port, relay);
    } catch (e) {
      lastError = e;
    }
  }
  rmSync(dir, { recursive: true, force: true });
  throw lastError;
}

async function launch(bin: string, dir: string, secret: string, port: number, relay: { min: number; max: number }): Promise<Coturn> {
  const args = [
    '-n', // no configuration file (/etc/turnserver.conf is ignored)
    `--listening-port=${port}`,
    '--listening-ip=127.0.0.1',
    '--relay-ip=127.0.0.1',
    `--min-port=${relay.min}`,
    `--max-port=${relay.max}`,
    '--use-auth-secret',
    `--static-auth-secret=${secret}`,
    `--realm=${COTURN_REALM}`,
    '--fingerprint',
    '--no-tls',
    '--no-dtls',
    '--no-cli',
    '--no-rfc5780',
    // Both peers' relayed addresses are 127.0.0.1:<relay port>: coturn refuses loopback peers
    // unless told otherwise (it then logs a CONFIG WARNING, fine for a test).
    '--allow-loopback-peers',
    '--relay-threads=1',
    // Its own files, so parallel test processes do not share the default SQLite user database
    // (/var/lib/turn/turndb) or pid file (/var/run/turnserver.pid).
    `--userdb=${path.join(dir, 'turndb')}`,
    `--pidfile=${path.join(dir, 'turnserver.pid')}`,
    '--log-file=stdout',
    '--simple-log',
  ];
  const child: ChildProcess = spawn(bin, args, { cwd: dir, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (b: Buffer) => (out += b.toString()));
  child.stderr!.on('data', (b: Buffer) => (out += b.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const spawnError = new Promise<never>((_, reject) => child.once('error', (e) => reject(new Error(`could not start ${bin}: ${e.message}`))));

  const killGroup = (signal: NodeJS.Signals) => {
    if (child.exitCode !== null || child.signalCode !== null || !child.pid) return;
    try {
      process.kill(-child.pid, signal);
    } catch {
      try {
        child.kill(signal);
      } catch {
        // gone
      }
    }
  };
  // If the test process dies without stop(), do not leave a turnserver behind.
  const onExit = () => killGroup('SIGKILL');
  process.once('exit', onExit);

  const stop = async () => {
    process.off('exit', onExit);
    if (child.exitCode === null && child.signalCode === null) {
      killGroup('SIGTERM');
      await Promise.race([exited, sleep(3000)]);
      killGroup('SIGKILL');
      await Promise.race([exited, sleep(2000)]);
    }
  };

  // Ready when it answers a STUN Binding request on its UDP port (the log line alone does not
  // promise the UDP listener is bound yet).
  const deadline = Date.now() + 15_000;
  try {
    for (;;) {
      const early = await Promise.race([exited.then((code) => ({ code })), spawnError, stunBinding(port, 250).then((ok) => ({ ok }))]);
      if ('code' in early) throw new Error(`turnserver exited with ${early.code} before listening on 127.0.0.1:${port}:\n${out}`);
      if (early.ok) break;
      if (Date.now() > deadline) throw new Error(`turnserver did not answer on 127.0.0.1:${port} within 15 s:\n${out}`);
    }
  } catch (e) {
    await stop();
    throw e;
  }

  return {
    url: `turn:127.0.0.1:${port}?transport=udp`,
    port,
    secret,
    realm: COTURN_REALM,
    relayPorts: relay,
    output: () => out,
    stop: async () => {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Sends one STUN Binding request (RFC 5389) and resolves true on a Binding success response. */
function stunBinding(port: number, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = dgram.createSocket('udp4');
    const tid = randomBytes(12);
    const req = Buffer.alloc(20);
    req.writeUInt16BE(0x0001, 0); // Binding request
    req.writeUInt16BE(0, 2); // no attributes
    req.writeUInt32BE(0x2112a442, 4); // magic cookie
    tid.copy(req, 8);
    const done = (ok: boolean) => {
      clearTimeout(timer);
      sock.close();
      resolve(ok);
    };
    const timer = setTimeout(() => done(false), timeoutMs);
    sock.on('error', () => done(false));
    sock.on('message', (msg) => {
      if (msg.length >= 20 && msg.readUInt16BE(0) === 0x0101 && msg.subarray(8, 20).equals(tid)) done(true);
    });
    sock.send(req, port, '127.0.0.1');
  });
}

/** A port free for both UDP and TCP on 127.0.0.1 (coturn listens on both). */
async function freePort(): Promise<number> {
  for (let i = 0; i < 50; i++) {
    const port = await new Promise<number>((resolve, reject) => {
      const s = net.createServer();
      s.once('error', reject);
      s.listen(0, '127.0.0.1', () => {
        const p = (s.address() as net.AddressInfo).port;
        s.close(() => resolve(p));
      });
    });
    if (await udpFree(port)) return port;
  }
  throw new Error('no free port for turnserver');
}

/** `count` consecutive UDP ports, free on 127.0.0.1, not including `avoid`. */
async function freeUdpRange(count: number, avoid: number): Promise<{ min: number; max: number }> {
  for (let i = 0; i < 100; i++) {
    // Below the kernel's ephemeral range (32768-60999 by default) so outgoing sockets do not take them.
    const min = 20_000 + Math.floor(Math.random() * 10_000);
    const max = min + count - 1;
    if (avoid >= min && avoid <= max) continue;
    let ok = true;
    for (let p = min; p <= max && ok; p++) ok = await udpFree(p);
    if (ok) return { min, max };
  }
  throw new Error('no free UDP port range for turnserver relays');
}

function udpFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = dgram.createSocket('udp4');
    s.once('error', () => {
      try {
        s.close();
      } catch {
        // never bound
      }
      resolve(false);
    });
    s.bind(port, '127.0.0.1', () => s.close(() => resolve(true)));
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
