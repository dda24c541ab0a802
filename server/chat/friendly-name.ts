// A friendly name for an anonymous visitor ("Amber Fox"), the same for the same visitor id on
// every screen, so agents can tell anonymous visitors apart and talk about them.
import { displayText } from '../text/display-text';

const ADJECTIVES = ['Amber', 'Azure', 'Brave', 'Bright', 'Calm', 'Coral', 'Cosmic', 'Crimson', 'Dapper', 'Gentle', 'Golden', 'Happy', 'Indigo', 'Jade', 'Jolly', 'Lucky', 'Lunar', 'Maple', 'Mellow', 'Misty', 'Noble', 'Olive', 'Polar', 'Quiet', 'Rapid', 'Ruby', 'Sandy', 'Silver', 'Snowy', 'Sunny', 'Swift', 'Teal', 'Velvet', 'Witty'];
const ANIMALS = ['Badger', 'Bear', 'Beaver', 'Crane', 'Dolphin', 'Eagle', 'Falcon', 'Ferret', 'Finch', 'Fox', 'Gecko', 'Heron', 'Ibis', 'Koala', 'Lemur', 'Lynx', 'Marten', 'Moose', 'Otter', 'Owl', 'Panda', 'Puffin', 'Quail', 'Rabbit', 'Raven', 'Robin', 'Seal', 'Sparrow', 'Swan', 'Tiger', 'Turtle', 'Walrus', 'Wolf', 'Wren'];

/** FNV-1a: a small, stable hash (not for security). */
function hash(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

export function friendlyName(visitorId: string): string {
  const h = hash(visitorId);
  return `${ADJECTIVES[h % ADJECTIVES.length]} ${ANIMALS[Math.floor(h / ADJECTIVES.length) % ANIMALS.length]}`;
}

/** What to call a visitor: their name when they identified themselves, else their friendly name. */
export function visitorLabel(visitorId: string, name: string | null | undefined): string {
  return displayText(name ?? '').trim() || friendlyName(visitorId);
}
