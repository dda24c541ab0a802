'use client';
import { useRouter } from 'next/navigation';
import { useId, useRef, useState, type ChangeEvent } from 'react';
import { initialsOf } from '../../server/initials';
import { authClient } from '../lib/auth-client';
import { NETWORK_ERROR, authErrorText } from './auth-errors';
import './account.css';

/** Refused before reading it: a picture this big is not a profile picture. */
const MAX_FILE_BYTES = 2 * 1024 * 1024;
const ACCEPTED = ['image/png', 'image/jpeg', 'image/webp'];
/** The stored picture is this many pixels square (the server refuses data URLs over 200 KB). */
const SIDE = 128;

type Notice = { kind: 'ok' | 'error'; text: string } | null;

/**
 * The user's picture: chosen from a file, cropped to a square and scaled to 128 × 128 in the
 * browser, stored on the user as a small data URL (better-auth's `image`, via updateUser).
 */
export function AvatarField({ image: savedImage, name }: { image: string | null; name: string }) {
  const router = useRouter();
  const id = useId();
  const inputRef = useRef<HTMLInputElement>(null);
  // The picture just saved here, shown until the server's data catches up.
  const [image, setImage] = useState<{ from: string | null; to: string | null } | null>(null);
  const shown = image && image.from === savedImage ? image.to : savedImage;
  const [notice, setNotice] = useState<Notice>(null);
  const [busy, setBusy] = useState<'upload' | 'remove' | null>(null);

  async function save(next: string | null): Promise<boolean> {
    const res = await authClient.updateUser({ image: next });
    if (res.error) {
      setNotice({ kind: 'error', text: authErrorText(res.error, 'Could not save your picture.') });
      return false;
    }
    setImage({ from: savedImage, to: next });
    router.refresh();
    return true;
  }

  async function onFile(e: ChangeEvent<HTMLInputElement>) {
    const file = e.target.files?.[0];
    // The same file can be chosen again after an error.
    e.target.value = '';
    if (!file) return;
    setNotice(null);
    if (!ACCEPTED.includes(file.type)) {
      setNotice({ kind: 'error', text: 'Choose a PNG, JPEG or WebP image.' });
      return;
    }
    if (file.size > MAX_FILE_BYTES) {
      setNotice({ kind: 'error', text: `That file is ${(file.size / 1024 / 1024).toFixed(1)} MB. Choose an image of at most 2 MB.` });
      return;
    }
    setBusy('upload');
    try {
      let dataUrl: string;
      try {
        dataUrl = await squareDataUrl(file, SIDE);
      } catch {
        setNotice({ kind: 'error', text: 'That image could not be read. Choose another PNG, JPEG or WebP file.' });
        return;
      }
      if (await save(dataUrl)) setNotice({ kind: 'ok', text: 'Your picture was updated.' });
    } catch {
      setNotice({ kind: 'error', text: NETWORK_ERROR });
    } finally {
      setBusy(null);
    }
  }

  async function remove() {
    setNotice(null);
    setBusy('remove');
    try {
      if (await save(null)) {
        setNotice({ kind: 'ok', text: 'Your picture was removed.' });
        inputRef.current?.focus();
      }
    } catch {
      setNotice({ kind: 'error', text: NETWORK_ERROR });
    } finally {
      setBusy(null);
    }
  }

  const inputId = `${id}-file`;
  return (
    <div className="account-avatar" data-testid="avatar-field">
      <div className="account-avatar-row">
        {shown ? (
          // A data URL made in the browser: next/image has nothing to optimise.
          // eslint-disable-next-line @next/next/no-img-element
          <img className="account-avatar-pic" src={shown} alt="Your picture" width={SIDE} height={SIDE} data-testid="avatar-image" />
        ) : (
          <span className="account-avatar-pic account-avatar-initials" aria-hidden="true" data-testid="avatar-initials">
            {initialsOf(name)}
          </span>
        )}
        <div className="account-avatar-side">
          <span className="label">
            Picture
          </span>
          <div className="account-avatar-actions">
            <input
              ref={inputRef}
              id={inputId}
              className="account-file-input"
              type="file"
              accept={ACCEPTED.join(',')}
              onChange={(e) => void onFile(e)}
              disabled={busy !== null}
              aria-describedby={`${id}-hint`}
              data-testid="avatar-input"
            />
            <label htmlFor={inputId} className={`btn btn-sm account-file-label${busy !== null ? ' is-disabled' : ''}`}>
              {busy === 'upload' ? 'Uploading…' : shown ? 'Change picture' : 'Upload picture'}
            </label>
            {shown && (
              <button type="button" className="btn btn-sm btn-ghost" onClick={() => void remove()} disabled={busy !== null} data-testid="avatar-remove">
                {busy === 'remove' ? 'Removing…' : 'Remove'}
              </button>
            )}
          </div>
          <span className="hint" id={`${id}-hint`}>
            PNG, JPEG or WebP, up to 2 MB. Cropped to a square.
          </span>
        </div>
      </div>
      <div role="status" aria-live="polite" className="account-status" data-testid="avatar-status">
        {notice?.kind === 'ok' && <div className="alert alert-success">{notice.text}</div>}
      </div>
      {notice?.kind === 'error' && (
        <div className="alert alert-error" role="alert" data-testid="avatar-error">
          {notice.text}
        </div>
      )}
    </div>
  );
}

/** The middle square of the image, scaled to `side` pixels, as a WebP (or JPEG) data URL. */
async function squareDataUrl(file: File, side: number): Promise<string> {
  const bitmap = await createImageBitmap(file);
  try {
    const crop = Math.min(bitmap.width, bitmap.height);
    if (crop < 1) throw new Error('empty image');
    const canvas = document.createElement('canvas');
    canvas.width = side;
    canvas.height = side;
    const g = canvas.getContext('2d');
    if (!g) throw new Error('no canvas');
    // Transparent parts would turn black in a JPEG.
    g.fillStyle = '#ffffff';
    g.fillRect(0, 0, side, side);
    g.imageSmoothingEnabled = true;
    g.imageSmoothingQuality = 'high';
    g.drawImage(bitmap, (bitmap.width - crop) / 2, (bitmap.height - crop) / 2, crop, crop, 0, 0, side, side);
    // Browsers that cannot encode WebP hand back a PNG: ask for a JPEG instead.
    const webp = canvas.toDataURL('image/webp', 0.86);
    return webp.startsWith('data:image/webp') ? webp : canvas.toDataURL('image/jpeg', 0.86);
  } finally {
    bitmap.close();
  }
}
