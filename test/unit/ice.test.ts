// ICE configuration: ICE_SERVERS parsing, TURN REST credentials (coturn `use-auth-secret`) and
// the per-party configuration a browser receives.
import { describe, expect, it } from 'vitest';
import { iceFor, mintTurnCredential, parseIceServers, type IceOptions } from '../../server/calls/ice';

describe('parseIceServers', () => {
  it('empty or missing means no servers (host candidates only)', () => {
    expect(parseIceServers(undefined)).toEqual([]);
    expect(parseIceServers('')).toEqual([]);
    expect(parseIceServers('   \n ')).toEqual([]);
  });

  it('takes a comma-separated list of URLs, trimming spaces', () => {
    expect(parseIceServers('stun:stun.example.com:3478, turn:turn.example.com:3478?transport=udp ,turns:turn.example.com:5349')).toEqual([
      { urls: 'stun:stun.example.com:3478' },
      { urls: 'turn:turn.example.com:3478?transport=udp' },
      { urls: 'turns:turn.example.com:5349' },
    ]);
    expect(parseIceServers('stuns:a.example')).toEqual([{ urls: 'stuns:a.example' }]);
  });

  it('takes a JSON RTCIceServer array, with url lists and static credentials', () => {
    const json = JSON.stringify([
      { urls: 'stun:stun.example.com' },
      { urls: ['turn:turn.example.com:3478?transport=udp', 'turn:turn.example.com:3478?transport=tcp'] },
      { urls: 'turn:static.example.com', username: 'fixed', credential: 'pw' },
    ]);
    expect(parseIceServers(`  ${json}  `)).toEqual([
      { urls: 'stun:stun.example.com' },
      { urls: ['turn:turn.example.com:3478?transport=udp', 'turn:turn.example.com:3478?transport=tcp'] },
      { urls: 'turn:static.example.com', username: 'fixed', credential: 'pw' },
    ]);
  });

  it('refuses bad input with a message that names ICE_SERVERS and the problem', () => {
    expect(() => parseIceServers('[{"urls": "stun:a"')).toThrow(/^ICE_SERVERS: not valid JSON$/);
    expect(() => parseIceServers('http://stun.example.com')).toThrow(/ICE_SERVERS: "http:\/\/stun.example.com" must be a stun:, stuns:, turn: or turns: URL/);
    expect(() => parseIceServers('stun:a.example,,turn:b.example')).toThrow(/ICE_SERVERS: "" must be a stun:/);
    expect(() => parseIceServers('stun:a.example, stun:has space')).toThrow(/ICE_SERVERS: "stun:has space" must be/);
    expect(() => parseIceServers('[{"urls": "https://x.example"}]')).toThrow(/ICE_SERVERS: must be a stun:, stuns:, turn: or turns: URL/);
    expect(() => parseIceServers('[{"urls": []}]')).toThrow(/^ICE_SERVERS: /);
    expect(() => parseIceServers('[{"url": "stun:a.example"}]')).toThrow(/^ICE_SERVERS: /);
    // Unknown keys (a typo such as "credentials") are refused rather than silently dropped.
    expect(() => parseIceServers('[{"urls": "turn:a.example", "username": "u", "credentials": "p"}]')).toThrow(/^ICE_SERVERS: /);
    expect(() => parseIceServers('[{"urls": "stun:a.example", "username": 5}]')).toThrow(/^ICE_SERVERS: /);
    expect(() => parseIceServers(JSON.stringify(Array.from({ length: 11 }, () => ({ urls: 'stun:a.example' }))))).toThrow(/^ICE_SERVERS: /);
  });
});

describe('mintTurnCredential (TURN REST API scheme, as coturn use-auth-secret checks it)', () => {
  // The expected credentials below were computed once, by hand, outside this code base:
  //   printf '%s' '1700000000:alice' | openssl dgst -sha1 -hmac 'north-wind-secret' -binary | base64
  //   -> r/l6ttQtMIfbS2lfULS0mDRRNUg=
  //   printf '%s' '1700000600:agent-42' | openssl dgst -sha1 -hmac 'north-wind-secret' -binary | base64
  //   -> XVzivL3bJOIq22iXReFrg5TW460=
  // i.e. username = "<expiry unix seconds>:<name>", credential = base64(HMAC-SHA1(key = secret,
  // message = username)), which is what coturn recomputes from the username it receives.
  it('username is "expiry:name" and the credential the base64 HMAC-SHA1 of it under the secret', () => {
    expect(mintTurnCredential('north-wind-secret', 'alice', 1_700_000_000)).toEqual({ username: '1700000000:alice', credential: 'r/l6ttQtMIfbS2lfULS0mDRRNUg=' });
    expect(mintTurnCredential('north-wind-secret', 'agent-42', 1_700_000_600)).toEqual({ username: '1700000600:agent-42', credential: 'XVzivL3bJOIq22iXReFrg5TW460=' });
  });

  it('depends on the secret, the name and the expiry', () => {
    const base = mintTurnCredential('north-wind-secret', 'alice', 1_700_000_000).credential;
    expect(mintTurnCredential('north-wind-secreT', 'alice', 1_700_000_000).credential).not.toBe(base);
    expect(mintTurnCredential('north-wind-secret', 'alicf', 1_700_000_000).credential).not.toBe(base);
    expect(mintTurnCredential('north-wind-secret', 'alice', 1_700_000_001).credential).not.toBe(base);
    // 20-byte SHA-1 digest -> 28 base64 characters.
    expect(base).toMatch(/^[A-Za-z0-9+/]{27}=$/);
  });
});

describe('iceFor', () => {
  const SECRET = 'a-very-secret-turn-shared-key-0123456789';
  const NOW = 1_700_000_000_500; // ms, deliberately not on a whole second
  const options = (over: Partial<IceOptions> = {}): IceOptions => ({
    servers: [
      { urls: 'stun:stun.example.com:3478' },
      { urls: 'turn:turn.example.com:3478?transport=udp' },
      { urls: ['turns:turn.example.com:5349', 'turn:turn.example.com:3478?transport=tcp'] },
      { urls: 'turn:static.example.com', username: 'fixed-user', credential: 'fixed-pass' },
    ],
    turnSecret: SECRET,
    ttlS: 600,
    policy: 'all',
    ...over,
  });

  it('TURN servers get credentials minted for the name, expiring now + ttl; STUN and static ones are untouched', () => {
    const ice = iceFor(options(), 'call1-visitor', NOW);
    const expiry = 1_700_000_000 + 600;
    const minted = mintTurnCredential(SECRET, 'call1-visitor', expiry);
    expect(minted.username).toBe(`${expiry}:call1-visitor`);
    expect(ice).toEqual({
      iceServers: [
        { urls: 'stun:stun.example.com:3478' },
        { urls: 'turn:turn.example.com:3478?transport=udp', ...minted },
        { urls: ['turns:turn.example.com:5349', 'turn:turn.example.com:3478?transport=tcp'], ...minted },
        { urls: 'turn:static.example.com', username: 'fixed-user', credential: 'fixed-pass' },
      ],
      iceTransportPolicy: 'all',
    });
    // STUN stays without credentials at all (no empty username/credential keys).
    expect(Object.keys(ice.iceServers[0]!)).toEqual(['urls']);
  });

  it('the expiry follows the clock and the ttl, and each party gets its own credential', () => {
    const a = iceFor(options({ ttlS: 60 }), 'agent', NOW).iceServers[1]!;
    const b = iceFor(options({ ttlS: 60 }), 'visitor', NOW).iceServers[1]!;
    const later = iceFor(options({ ttlS: 60 }), 'agent', NOW + 10_000).iceServers[1]!;
    expect(a.username).toBe('1700000060:agent');
    expect(b.username).toBe('1700000060:visitor');
    expect(later.username).toBe('1700000070:agent');
    expect(a.credential).not.toBe(b.credential);
    expect(a.credential).not.toBe(later.credential);
  });

  it('passes the transport policy through', () => {
    expect(iceFor(options({ policy: 'relay' }), 'x', NOW).iceTransportPolicy).toBe('relay');
    expect(iceFor(options({ policy: 'all' }), 'x', NOW).iceTransportPolicy).toBe('all');
  });

  it('without a secret, TURN servers are passed as configured', () => {
    const o = options({ turnSecret: undefined });
    expect(iceFor(o, 'x', NOW)).toEqual({ iceServers: o.servers, iceTransportPolicy: 'all' });
  });

  it('no servers: an empty list', () => {
    expect(iceFor(options({ servers: [] }), 'x', NOW)).toEqual({ iceServers: [], iceTransportPolicy: 'all' });
  });

  it('the shared secret never appears in what a browser receives', () => {
    const json = JSON.stringify(iceFor(options({ policy: 'relay' }), 'call-xyz-agent', NOW));
    expect(json).not.toContain(SECRET);
    expect(json).not.toContain(Buffer.from(SECRET).toString('base64'));
    expect(json).not.toContain(Buffer.from(SECRET).toString('hex'));
    // The configuration object itself is not mutated (the secret-less servers list stays as configured).
    const o = options();
    const before = JSON.stringify(o.servers);
    iceFor(o, 'x', NOW);
    expect(JSON.stringify(o.servers)).toBe(before);
  });
});
