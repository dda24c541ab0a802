'use client';
// The call dock: a fixed panel that shows the agent's call on every dashboard page. Presentational:
// everything it shows comes from the call controller (use-call.ts).
import { useEffect, useRef, useState } from 'react';
import { isBusy } from './call-state';
import { OUTCOME_LABEL, endText, formatTimer, problemsText, remoteVideoText, statusText } from './call-texts';
import { qualityText } from './call-stats';
import { CameraIcon, ChevronIcon, MicIcon, PhoneIcon, ScreenIcon } from './icons';
import type { CallController } from './use-call';
import { initialsOf } from '../../server/initials';

export function CallDock({ controller: c }: { controller: CallController }) {
  const { state } = c;
  const now = useTicking(isBusy(state));
  // Minimized, the dock keeps only its header and controls (the remote <video> stays mounted: its sound plays on).
  const [collapsed, setCollapsed] = useState(false);
  if (state.phase === 'idle' || !state.target) return null;
  const phase = state.phase;
  const media = phase === 'connecting' || phase === 'in-call' || phase === 'away';
  const ringing = phase === 'starting' || phase === 'ringing';
  const problems = media ? problemsText(state.problems, state.remote) : null;
  const remoteCameraOff = media && state.remote !== null && !state.remote.video;
  const ringLeft = state.expiresAt !== null ? Math.max(0, Math.ceil((state.expiresAt - now) / 1000)) : null;

  return (
    <section
      className={`call-dock call-${phase}${collapsed && media ? ' is-collapsed' : ''}`}
      data-testid="call-dock"
      data-phase={phase}
      data-call-id={state.callId ?? undefined}
      aria-label={`Call with ${state.target.label}`}
    >
      <header className="call-head">
        <span className="avatar call-avatar" aria-hidden="true">
          {initialsOf(state.target.label)}
        </span>
        <div className="call-who">
          <strong title={state.target.label}>{state.target.label}</strong>
          <span className="call-status" data-testid="call-status" role="status">
            {statusText(state)}
          </span>
        </div>
        {ringing && state.clickedAt !== null && (
          <span className="call-clock" title={ringLeft !== null ? `Stops ringing in ${ringLeft}s` : undefined} data-testid="call-ringing-time">
            {formatTimer(now - state.clickedAt)}
          </span>
        )}
        {media && state.acceptedAt !== null && (
          <span className="call-clock" data-testid="call-timer" aria-label="Call duration">
            {formatTimer(now - state.acceptedAt)}
          </span>
        )}
        {media && (
          <button
            type="button"
            className="call-ctl call-ctl-sm"
            aria-expanded={!collapsed}
            aria-label={collapsed ? 'Show the video' : 'Hide the video'}
            title={collapsed ? 'Show the video' : 'Hide the video'}
            onClick={() => setCollapsed((x) => !x)}
            data-testid="call-collapse"
          >
            <ChevronIcon up={collapsed} />
          </button>
        )}
      </header>

      {media && (
        <div className={`call-stage${phase === 'away' ? ' is-away' : ''}`}>
          <StreamVideo stream={c.remote} className="call-remote" testId="call-remote-video" />
          {(!c.remote || remoteCameraOff || phase !== 'in-call') && (
            <div className="call-overlay">
              <span className="avatar call-avatar-lg" aria-hidden="true">
                {initialsOf(state.target.label)}
              </span>
              <span>{remoteVideoText(state)}</span>
            </div>
          )}
          {state.remote && !state.remote.audio && phase === 'in-call' && (
            <span className="call-badge call-badge-muted" data-testid="call-remote-muted">
              <MicIcon off /> Visitor muted
            </span>
          )}
          <PreviewVideo c={c} />
        </div>
      )}


      {(problems || state.localNotice) && phase !== 'ended' && (
        <div className="call-notes">
          {problems && (
            <p className="call-note call-note-warn" data-testid="call-problems">
              {problems}
            </p>
          )}
          {state.localNotice && (
            <p className="call-note" data-testid="call-local-notice">
              {state.localNotice}
            </p>
          )}
        </div>
      )}

      {phase === 'in-call' && <QualityBadge c={c} />}

      <div className="call-controls">
        {ringing && c.preview && c.preview.getVideoTracks().length > 0 && (
          <div className="call-ring-preview" title="Your camera">
            <PreviewVideo c={c} />
          </div>
        )}
        {ringing && (
          <button type="button" className="btn btn-sm call-btn-end" onClick={c.cancel} data-testid="call-cancel">
            Cancel
          </button>
        )}
        {media && (
          <>
            <Toggle
              pressed={!state.local.audio}
              label={state.local.audio ? 'Mute microphone' : 'Unmute microphone'}
              title={state.local.audio ? 'Mute' : 'Unmute'}
              onClick={c.toggleMute}
              testid="call-mute"
            >
              <MicIcon off={!state.local.audio} />
            </Toggle>
            <Toggle
              pressed={!state.local.video}
              label={state.local.video ? 'Turn camera off' : 'Turn camera on'}
              title={state.local.video ? 'Camera off' : 'Camera on'}
              onClick={c.toggleCamera}
              testid="call-camera"
            >
              <CameraIcon off={!state.local.video} />
            </Toggle>
            <Toggle
              pressed={state.local.screen}
              label={state.local.screen ? 'Stop sharing your screen' : 'Share your screen'}
              title={state.local.screen ? 'Stop sharing' : c.canShareScreen ? 'Share your screen' : 'Screen sharing needs your camera to be in the call'}
              disabled={!state.local.screen && !c.canShareScreen}
              onClick={c.toggleScreen}
              testid="call-screen"
            >
              <ScreenIcon />
            </Toggle>
            <button type="button" className="btn btn-sm call-btn-end" onClick={c.hangUp} data-testid="call-hangup">
              <PhoneIcon hang /> Hang up
            </button>
          </>
        )}
        {phase === 'ended' && (
          <>
            {state.error ? (
              <div className="call-result call-result-error" data-testid="call-error" data-code={state.error.code} role="alert">
                {state.error.message}
                {state.error.detail && <span className="call-result-detail">{state.error.detail}</span>}
              </div>
            ) : state.end ? (
              <div
                className={`call-result call-result-${state.end.outcome}`}
                data-testid="call-ended"
                data-outcome={state.end.outcome}
                data-reason={state.end.reason}
                role="status"
                title={OUTCOME_LABEL[state.end.outcome]}
              >
                {endText(state.end)}
              </div>
            ) : null}
            <button type="button" className="btn btn-sm" onClick={c.close} data-testid="call-close">
              Close
            </button>
          </>
        )}
      </div>
    </section>
  );
}

function PreviewVideo({ c }: { c: CallController }) {
  const cameraOff = !c.previewIsScreen && !c.state.local.video;
  // Until the camera's first frame is on screen the <video> is a black box: say what is happening.
  const [showing, setShowing] = useState<MediaStream | null>(null);
  const label = cameraOff ? 'Camera off' : !c.preview?.getVideoTracks().length ? (c.preview ? 'Camera off' : 'No camera') : showing !== c.preview ? 'Starting camera…' : null;
  return (
    <div className={`call-local${c.previewIsScreen ? ' is-screen' : ''}`}>
      <StreamVideo stream={c.preview} muted mirrored={!c.previewIsScreen} testId="call-local-video" onShowing={setShowing} />
      {label && (
        <span className="call-local-off" data-testid="call-local-label">
          {label}
        </span>
      )}
    </div>
  );
}

function QualityBadge({ c }: { c: CallController }) {
  const q = c.quality;
  return (
    <div
      className={`call-quality q-${q?.level ?? 'unknown'}`}
      data-testid="call-quality"
      data-level={q?.level ?? 'unknown'}
      data-rtt-ms={q?.rttMs ?? undefined}
      data-loss-pct={q?.lossPct ?? undefined}
      data-kbps={q?.kbps ?? undefined}
      title="Connection quality: round-trip time, packet loss and incoming bitrate over the last 2 seconds"
    >
      <span className="q-bars" aria-hidden="true">
        <i />
        <i />
        <i />
      </span>
      {q ? qualityText(q) : 'Measuring…'}
    </div>
  );
}

/** A <video> showing a MediaStream. The remote one is not muted: its sound is the visitor's voice. */
function StreamVideo({
  stream,
  muted = false,
  mirrored = false,
  className,
  testId,
  onShowing,
}: {
  stream: MediaStream | null;
  muted?: boolean;
  mirrored?: boolean;
  className?: string;
  testId: string;
  /** Told which stream has a frame on screen (once its video plays with a size). */
  onShowing?: (stream: MediaStream | null) => void;
}) {
  const ref = useRef<HTMLVideoElement>(null);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    // React sets `muted` as a property only; the attribute also says so to anyone inspecting the page.
    el.muted = muted;
    el.toggleAttribute('muted', muted);
    if (el.srcObject !== stream) el.srcObject = stream;
    if (stream) el.play().catch(() => {});
  }, [stream, muted]);
  useEffect(() => {
    const el = ref.current;
    if (!el || !onShowing) return;
    const check = () => {
      if (el.videoWidth > 0 && !el.paused) onShowing(stream);
    };
    el.addEventListener('playing', check);
    el.addEventListener('resize', check);
    check();
    return () => {
      el.removeEventListener('playing', check);
      el.removeEventListener('resize', check);
    };
  }, [stream, onShowing]);
  return <video ref={ref} className={`${className ?? ''}${mirrored ? ' mirrored' : ''}`} autoPlay playsInline muted={muted} data-testid={testId} />;
}

/** Now, every second while `active`. */
function useTicking(active: boolean): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!active) return;
    setNow(Date.now());
    const t = setInterval(() => setNow(Date.now()), 1_000);
    return () => clearInterval(t);
  }, [active]);
  return now;
}

/** A round on/off control of the call (mute, camera, screen share). */
function Toggle(p: { pressed: boolean; label: string; title: string; disabled?: boolean; onClick: () => void; testid: string; children: React.ReactNode }) {
  return (
    <button type="button" className="call-ctl" aria-pressed={p.pressed} aria-label={p.label} title={p.title} disabled={p.disabled} onClick={p.onClick} data-testid={p.testid}>
      {p.children}
    </button>
  );
}
