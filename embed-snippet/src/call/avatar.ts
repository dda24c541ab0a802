// The agent's picture over their initials, in the call card and (imported by the chat part, which
// bundles its own copy) the chat panel's faces. The server sends a path on itself
// (`/avatars/<userId>?v=<hash>`, server/http/avatars.ts); it is loaded from the server the snippet
// came from. The initials stay underneath: a picture that does not load (the page's CSP has no
// img-src for Porchlight, a network error, a removed picture) is taken away again and the initials
// show, and that URL is not tried again on this page (no repeated CSP reports or errors).
import { guard } from './safe';

/** Only a picture path of this server: nothing else from a payload becomes a URL to load. */
const PATH = /^\/avatars\/[A-Za-z0-9_-]{1,64}\?v=[A-Za-z0-9_-]{1,32}$/;

let base = '';
const failed = new Set<string>();

/** The Porchlight server (PartContext.base), set once by the part. */
export const setAvatarBase = (b: string): void => {
  base = b;
};

/** The picture's URL, or null for none (or for anything that is not a picture path). */
export const avatarSrc = (path: unknown): string | null => (base && typeof path === 'string' && PATH.test(path) ? base + path : null);

/** Puts the picture into a face (an element holding the initials), replaces it, or takes it away (null). */
export function showPicture(face: Element, path: unknown): void {
  const src = avatarSrc(path);
  const want = src && !failed.has(src) ? src : null;
  const current = face.querySelector('img');
  if ((current?.getAttribute('src') ?? null) === want) return;
  current?.remove();
  if (!want) return;
  const img = document.createElement('img');
  img.alt = '';
  img.addEventListener(
    'error',
    guard(() => {
      failed.add(want);
      img.remove();
    }),
  );
  img.src = want;
  face.append(img);
}
