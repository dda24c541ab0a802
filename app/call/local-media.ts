// The agent's own camera and microphone. A call goes ahead with whatever can be had: camera and
// microphone, else microphone only, else camera only, else nothing (the agent only receives).

export interface LocalMedia {
  stream: MediaStream | null;
  /** Why the agent sends less than the call asked for, for the dock. */
  notice: string | null;
}

function nameOf(err: unknown): string {
  return err && typeof err === 'object' && 'name' in err ? String((err as { name: unknown }).name) : '';
}

const blocked = (err: unknown) => nameOf(err) === 'NotAllowedError' || nameOf(err) === 'SecurityError';

export async function getLocalMedia(video: boolean): Promise<LocalMedia> {
  const md = typeof navigator !== 'undefined' ? navigator.mediaDevices : undefined;
  if (!md?.getUserMedia) return { stream: null, notice: 'This browser cannot use a camera or microphone here: the visitor will not see or hear you.' };
  const videoConstraints = { width: { ideal: 640 }, height: { ideal: 480 } };
  if (!video) {
    try {
      return { stream: await md.getUserMedia({ audio: true }), notice: null };
    } catch (err) {
      return { stream: null, notice: blocked(err) ? 'Your microphone is blocked: the visitor cannot hear you.' : 'No microphone found: the visitor cannot hear you.' };
    }
  }
  try {
    return { stream: await md.getUserMedia({ audio: true, video: videoConstraints }), notice: null };
  } catch (first) {
    try {
      const stream = await md.getUserMedia({ audio: true });
      return { stream, notice: blocked(first) ? 'Your camera is blocked: the visitor only hears you.' : 'No camera found: the visitor only hears you.' };
    } catch {
      try {
        const stream = await md.getUserMedia({ video: videoConstraints });
        return { stream, notice: 'Your microphone is unavailable: the visitor sees you but cannot hear you.' };
      } catch (last) {
        return {
          stream: null,
          notice: blocked(last)
            ? 'Your camera and microphone are blocked: the visitor can neither see nor hear you.'
            : 'No camera or microphone found: the visitor can neither see nor hear you.',
        };
      }
    }
  }
}

export function stopStream(stream: MediaStream | null | undefined): void {
  stream?.getTracks().forEach((t) => t.stop());
}

/**
 * Resolves once a stream's video shows its first frame, or after `capMs` (no video, or slow):
 * "in call" then means the agent sees the visitor, not just that the connection is up.
 */
export function whenVideoShows(stream: MediaStream | null, capMs: number): Promise<void> {
  const track = stream?.getVideoTracks().find((t) => t.readyState === 'live');
  if (!track || typeof document === 'undefined') return Promise.resolve();
  return new Promise((resolve) => {
    const el = document.createElement('video');
    el.muted = true;
    el.playsInline = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const done = () => {
      clearTimeout(timer);
      el.removeEventListener('loadeddata', done);
      el.srcObject = null;
      resolve();
    };
    timer = setTimeout(done, capMs);
    el.addEventListener('loadeddata', done);
    el.srcObject = new MediaStream([track]);
    el.play().catch(() => {});
  });
}
