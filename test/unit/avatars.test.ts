// Agents' pictures: the server's URL and decoding rules (server/http/avatars.ts), and how the chat
// widget's state remembers the pictures it has heard of and puts them on agents' messages.
import { describe, expect, it } from 'vitest';
import { avatarPath, decodeAvatar } from '../../server/http/avatars';
import type { AgentBrief, ChatMessage, VisitorChatInfo } from '../../server/protocol';
import { initialState, items, reduce, withFaces } from '../../embed-snippet/src/chat/state';
import { png, pngDataUrl } from '../support/png';

const IMAGE = png(4, [10, 20, 30]);
const DATA_URL = pngDataUrl(IMAGE);

describe('avatar URLs and images (server)', () => {
  it('gives a versioned path for a stored picture, a new version for a new picture, and none without one', () => {
    const path = avatarPath('u1AbC', DATA_URL);
    expect(path).toMatch(/^\/avatars\/u1AbC\?v=[A-Za-z0-9_-]{12}$/);
    expect(avatarPath('u1AbC', DATA_URL)).toBe(path);
    expect(avatarPath('u1AbC', pngDataUrl(png(4, [1, 2, 3])))).not.toBe(path);
    expect(avatarPath('u1AbC', null)).toBeNull();
    expect(avatarPath('u1AbC', 'https://elsewhere.example/me.png')).toBeNull();
    expect(avatarPath('../etc', DATA_URL)).toBeNull();
  });

  it('decodes PNG, JPEG and WebP data URLs to their bytes and type, and nothing else', () => {
    const img = decodeAvatar(DATA_URL)!;
    expect(img.type).toBe('image/png');
    expect(img.body.equals(IMAGE)).toBe(true);
    expect(avatarPath('u', DATA_URL)).toBe(`/avatars/u?v=${img.version}`);
    expect(decodeAvatar('data:image/jpeg;base64,/9j/AA==')?.type).toBe('image/jpeg');
    expect(decodeAvatar('data:image/svg+xml;base64,PHN2Zy8+')).toBeNull();
    expect(decodeAvatar('data:text/html;base64,PGI+')).toBeNull();
    expect(decodeAvatar('data:image/png;base64,not base64!')).toBeNull();
    expect(decodeAvatar(null)).toBeNull();
  });
});

describe('agents\' faces in the chat widget state', () => {
  const ana: AgentBrief = { id: 'u-ana', name: 'Ana Lima', initials: 'AL', avatar: '/avatars/u-ana?v=one' };
  const ben: AgentBrief = { id: 'u-ben', name: 'Ben Ode', initials: 'BO', avatar: null };
  const info = (agents: AgentBrief[]): VisitorChatInfo => ({ team: 'Lamps', greeting: '', agents, sneakPeek: true, conversationId: 'c', lastSeq: 0, agentReadSeq: 0, unread: 0, email: null });
  /** Stored messages carry no picture (the author may not be online). */
  const fromAgent = (seq: number, a: AgentBrief): ChatMessage => ({ id: `m${seq}`, conversationId: 'c', seq, from: 'agent', agent: { id: a.id, name: a.name, initials: a.initials }, text: `hi ${seq}`, event: null, at: seq });

  it('remembers pictures from the agents online, even after the agent goes offline, and puts them on their messages', () => {
    let s = reduce(initialState({ panel: 'open' }), { type: 'messages', messages: [fromAgent(1, ana), fromAgent(2, ben)], live: false });
    expect(items(s).map((it) => it.agent?.avatar ?? null)).toEqual([null, null]);
    s = reduce(s, { type: 'hello', info: info([ana, ben]) });
    expect(items(s).map((it) => it.agent?.avatar ?? null)).toEqual(['/avatars/u-ana?v=one', null]);
    s = reduce(s, { type: 'agents', agents: [] });
    expect(items(s)[0]!.agent?.avatar).toBe('/avatars/u-ana?v=one');
    // A new picture (the agent's next connection) replaces it; none removes it.
    s = reduce(s, { type: 'typing', agent: { ...ana, avatar: '/avatars/u-ana?v=two' }, typing: true });
    expect(items(s)[0]!.agent?.avatar).toBe('/avatars/u-ana?v=two');
    s = reduce(s, { type: 'agents', agents: [{ ...ana, avatar: null }] });
    expect(items(s)[0]!.agent?.avatar ?? null).toBeNull();
  });

  it('keeps the same faces object when nothing is new (no needless renders)', () => {
    const faces = withFaces({}, [ana]);
    expect(withFaces(faces, [ana, ben, null, { id: 'x', name: 'X', initials: 'X' }])).toBe(faces);
  });
});
