// What a call looks like from inside a browser page, for e2e tests and the call benchmark:
// getUserMedia and RTCPeerConnection are counted (before any page script runs), and remote video
// and audio are measured the way a person would notice them (frames that move, a picture that
// goes black, sound that stops).
import type { BrowserContext, Page } from 'playwright-core';

interface MediaProbe {
  gum: { at: number; video: boolean; audio: boolean }[];
  streams: MediaStream[];
  pcs: RTCPeerConnection[];
  acceptClickedAt: number | null;
}

/** Counts every getUserMedia call, keeps every stream it returned and every peer connection. */
export async function instrumentMedia(ctx: BrowserContext): Promise<void> {
  await ctx.addInitScript(() => {
    const probe: MediaProbe = { gum: [], streams: [], pcs: [], acceptClickedAt: null };
    Object.defineProperty(window, '__plMedia', { value: probe });
    const md = navigator.mediaDevices;
    if (md) {
      const gum = md.getUserMedia.bind(md);
      md.getUserMedia = async (c?: MediaStreamConstraints) => {
        probe.gum.push({ at: performance.now(), video: !!c?.video, audio: !!c?.audio });
        const s = await gum(c);
        probe.streams.push(s);
        return s;
      };
      const gdm = md.getDisplayMedia?.bind(md);
      if (gdm) {
        md.getDisplayMedia = async (c?: DisplayMediaStreamOptions) => {
          const s = await gdm(c);
          probe.streams.push(s);
          return s;
        };
      }
    }
    const PC = window.RTCPeerConnection;
    window.RTCPeerConnection = class extends PC {
      constructor(config?: RTCConfiguration) {
        super(config);
        probe.pcs.push(this);
      }
    };
    // When the visitor clicked accept (clicks inside the open shadow root show in composedPath).
    document.addEventListener(
      'click',
      (e) => {
        for (const el of e.composedPath()) {
          const id = (el as Element).getAttribute?.('data-testid');
          if (id?.startsWith('pl-accept')) probe.acceptClickedAt ??= performance.now();
        }
      },
      true,
    );
  });
}

export interface MediaReport {
  getUserMedia: number;
  videoRequested: boolean;
  firstGetUserMediaAfterAccept: boolean;
  peerConnections: number;
  openPeerConnections: number;
  /** Camera, microphone and screen tracks this page obtained that are still running. */
  liveTracks: number;
}

export function mediaReport(page: Page): Promise<MediaReport> {
  return page.evaluate(() => {
    const p = (window as unknown as { __plMedia: MediaProbe }).__plMedia;
    const first = p.gum[0];
    return {
      getUserMedia: p.gum.length,
      videoRequested: p.gum.some((g) => g.video),
      firstGetUserMediaAfterAccept: !!first && p.acceptClickedAt !== null && first.at >= p.acceptClickedAt,
      peerConnections: p.pcs.length,
      openPeerConnections: p.pcs.filter((pc) => pc.connectionState !== 'closed' && pc.signalingState !== 'closed').length,
      liveTracks: p.streams.flatMap((s) => s.getTracks()).filter((t) => t.readyState === 'live').length,
    };
  });
}

/** A JS expression that finds a video element, inside the call part's shadow root or not. */
/** Where a video element is: in the page, or in a custom element's shadow root. Plain data, so
 * pages can look it up without eval (the dashboard's CSP forbids it). */
export interface VideoRef {
  host: string | null;
  testid: string;
}

export function remoteVideo(host: string | null, testid: string): VideoRef {
  return { host, testid };
}

/** True if the video element shows a picture whose frames keep coming during `windowMs`. */
export function videoFramesAdvance(page: Page, video: VideoRef, windowMs = 600): Promise<boolean> {
  return page.evaluate(
    async ([ref, ms]) => {
      const find = () => (ref.host ? document.querySelector(ref.host)?.shadowRoot : document)?.querySelector(`[data-testid=${ref.testid}]`) as HTMLVideoElement | null;
      const el = find();
      if (!el?.srcObject || el.videoWidth === 0) return false;
      let callbacks = 0;
      const count = () => {
        callbacks++;
        if (callbacks < 1000) el.requestVideoFrameCallback(count);
      };
      el.requestVideoFrameCallback(count);
      const f0 = el.getVideoPlaybackQuality().totalVideoFrames;
      const t0 = el.currentTime;
      await new Promise((r) => setTimeout(r, ms));
      const f1 = el.getVideoPlaybackQuality().totalVideoFrames;
      return find() === el && (f1 - f0 >= 2 || callbacks >= 2) && el.currentTime > t0;
    },
    [video, windowMs] as const,
  );
}

/** Mean brightness (0-255) of the video's current frame. */
export function videoLuma(page: Page, video: VideoRef): Promise<number> {
  return page.evaluate((ref) => {
    const el = (ref.host ? document.querySelector(ref.host)?.shadowRoot : document)?.querySelector(`[data-testid=${ref.testid}]`) as HTMLVideoElement | null;
    if (!el || el.videoWidth === 0) return -1;
    const c = document.createElement('canvas');
    c.width = 64;
    c.height = 48;
    const g = c.getContext('2d', { willReadFrequently: true })!;
    g.drawImage(el, 0, 0, c.width, c.height);
    const d = g.getImageData(0, 0, c.width, c.height).data;
    let sum = 0;
    for (let i = 0; i < d.length; i += 4) sum += 0.299 * d[i]! + 0.587 * d[i + 1]! + 0.114 * d[i + 2]!;
    return sum / (d.length / 4);
  }, video);
}

/** Energy of the audio this page receives from its peer during `windowMs` (inbound-rtp totalAudioEnergy). */
export function receivedAudioEnergy(page: Page, windowMs = 1500): Promise<number> {
  return page.evaluate(async (ms) => {
    const p = (window as unknown as { __plMedia: MediaProbe }).__plMedia;
    const total = async () => {
      let sum = 0;
      for (const pc of p.pcs) {
        if (pc.connectionState === 'closed') continue;
        (await pc.getStats()).forEach((s: { type: string; kind?: string; totalAudioEnergy?: number }) => {
          if (s.type === 'inbound-rtp' && s.kind === 'audio') sum += s.totalAudioEnergy ?? 0;
        });
      }
      return sum;
    };
    const e0 = await total();
    await new Promise((r) => setTimeout(r, ms));
    return (await total()) - e0;
  }, windowMs);
}

/** Whether the sound received from the other party carries anything (the fake microphone beeps). */
export async function audioEnergyGrows(page: Page): Promise<boolean> {
  return (await receivedAudioEnergy(page)) > 1e-4;
}

/** The visitor id the snippet stored for this page's site (set once it has connected). */
export async function waitForVisitorId(page: Page, timeoutMs = 8000): Promise<string> {
  const handle = await page.waitForFunction(
    () => {
      try {
        return (JSON.parse(localStorage.getItem('_porchlight') ?? '{}') as { v?: string }).v ?? null;
      } catch {
        return null;
      }
    },
    undefined,
    { timeout: timeoutMs },
  );
  return (await handle.jsonValue()) as string;
}
