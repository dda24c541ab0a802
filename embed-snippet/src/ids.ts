// Random ids in the alphabet the server accepts (8-64 chars of [A-Za-z0-9_-]).
// crypto.getRandomValues works on plain http pages too (randomUUID needs a secure context).
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-';

export const isId = (v: unknown): v is string => typeof v === 'string' && /^[\w-]{8,64}$/.test(v);

export function newId(): string {
  let bytes: ArrayLike<number>;
  try {
    bytes = crypto.getRandomValues(new Uint8Array(22));
  } catch {
    bytes = Array.from({ length: 22 }, () => Math.random() * 256);
  }
  let id = '';
  for (let i = 0; i < 22; i++) id += ALPHABET[(bytes[i] ?? 0) & 63];
  return id;
}
