'use client';
import { useRouter } from 'next/navigation';
import { useId, useState, type FormEvent } from 'react';

interface Props {
  /** Present when editing an existing site. */
  siteId?: string;
  initialName?: string;
  initialOrigins?: string[];
  /** The chat settings, shown when editing a site (a new site starts with the defaults). */
  chat?: { greeting: string; sneakPeek: boolean };
  submitLabel: string;
}

type FieldErrors = { name?: string; allowedOrigins?: string; chatGreeting?: string };

const GREETING_MAX = 500;

/** Create or edit a site: name, allowed origins (one per line) and chat settings. Validated by the server. */
export function SiteForm({ siteId, initialName = '', initialOrigins = [], chat, submitLabel }: Props) {
  const router = useRouter();
  const id = useId();
  const [name, setName] = useState(initialName);
  const [origins, setOrigins] = useState(initialOrigins.join('\n'));
  const [greeting, setGreeting] = useState(chat?.greeting ?? '');
  const [sneakPeek, setSneakPeek] = useState(chat?.sneakPeek ?? true);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setSaved(false);
    setFormError(null);
    const allowedOrigins = origins
      .split(/\r?\n/)
      .map((l) => l.trim())
      .filter(Boolean);
    const local: FieldErrors = {};
    if (!name.trim()) local.name = 'Name is required';
    if (allowedOrigins.length === 0) local.allowedOrigins = 'Add at least one allowed origin';
    if (chat && greeting.trim().length > GREETING_MAX) local.chatGreeting = `The greeting is at most ${GREETING_MAX} characters`;
    if (local.name || local.allowedOrigins || local.chatGreeting) {
      setErrors(local);
      setBusy(false);
      return;
    }
    try {
      const res = await fetch(siteId ? `/api/sites/${siteId}` : '/api/sites', {
        method: siteId ? 'PATCH' : 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ name, allowedOrigins, ...(chat ? { chatGreeting: greeting, chatSneakPeek: sneakPeek } : {}) }),
      });
      const body = (await res.json().catch(() => null)) as
        | { ok: true; site: { id: string; allowedOrigins: string[]; chatGreeting: string } }
        | { ok: false; code: string; message: string; fields?: FieldErrors }
        | null;
      if (res.status === 401) {
        router.replace(`/login?next=${encodeURIComponent(window.location.pathname)}`);
        return;
      }
      if (!body || !body.ok) {
        setErrors(body?.fields ?? {});
        if (!body?.fields || Object.keys(body.fields).length === 0) setFormError(body?.message ?? 'Could not save the site. Try again.');
        setBusy(false);
        return;
      }
      setErrors({});
      if (siteId) {
        setOrigins(body.site.allowedOrigins.join('\n')); // show them normalized
        if (chat) setGreeting(body.site.chatGreeting);
        setSaved(true);
        setBusy(false);
        router.refresh();
      } else {
        router.push(`/sites/${body.site.id}/install`);
        router.refresh();
      }
    } catch {
      setFormError('Could not reach Porchlight. Check your connection and try again.');
      setBusy(false);
    }
  }

  return (
    <form className="form" onSubmit={submit} noValidate data-testid="site-form">
      <div className="field">
        <label className="label" htmlFor={`${id}-name`}>
          Site name
        </label>
        <input
          id={`${id}-name`}
          name="name"
          className="input"
          value={name}
          onChange={(e) => setName(e.target.value)}
          placeholder="Acme marketing site"
          maxLength={80}
          aria-invalid={!!errors.name}
          aria-describedby={errors.name ? `${id}-name-error` : undefined}
        />
        {errors.name && (
          <span className="field-error" id={`${id}-name-error`} role="alert">
            {errors.name}
          </span>
        )}
      </div>
      <div className="field">
        <label className="label" htmlFor={`${id}-origins`}>
          Allowed origins
        </label>
        <textarea
          id={`${id}-origins`}
          name="allowedOrigins"
          className="textarea"
          value={origins}
          onChange={(e) => setOrigins(e.target.value)}
          placeholder={'https://www.example.com\nhttps://example.com'}
          rows={4}
          spellCheck={false}
          aria-invalid={!!errors.allowedOrigins}
          aria-describedby={`${id}-origins-hint${errors.allowedOrigins ? ` ${id}-origins-error` : ''}`}
        />
        <span className="hint" id={`${id}-origins-hint`}>
          One per line: scheme, host and port, no path. Pages on any other origin are refused.
        </span>
        {errors.allowedOrigins && (
          <div className="field-error" id={`${id}-origins-error`} role="alert" data-testid="origins-error">
            {errors.allowedOrigins.includes('\n') ? (
              <ul style={{ margin: 0, paddingLeft: 18 }}>
                {errors.allowedOrigins.split('\n').map((line, i) => (
                  <li key={i}>{line}</li>
                ))}
              </ul>
            ) : (
              errors.allowedOrigins
            )}
          </div>
        )}
      </div>
      {chat && (
        <fieldset className="form-section" data-testid="chat-settings">
          <legend>Chat</legend>
          <div className="field">
            <label className="label" htmlFor={`${id}-greeting`}>
              Chat greeting
            </label>
            <textarea
              id={`${id}-greeting`}
              name="chatGreeting"
              className="textarea textarea-prose"
              value={greeting}
              onChange={(e) => setGreeting(e.target.value)}
              placeholder="Hi! Ask us anything, we usually answer in a few minutes."
              rows={3}
              maxLength={GREETING_MAX}
              aria-invalid={!!errors.chatGreeting}
              aria-describedby={`${id}-greeting-hint${errors.chatGreeting ? ` ${id}-greeting-error` : ''}`}
            />
            <span className="hint field-hint-row" id={`${id}-greeting-hint`}>
              <span>The first line visitors read when they open the chat. Leave it empty for none.</span>
              <span className="counter" data-testid="greeting-count">
                {greeting.length} / {GREETING_MAX}
              </span>
            </span>
            {errors.chatGreeting && (
              <span className="field-error" id={`${id}-greeting-error`} role="alert">
                {errors.chatGreeting}
              </span>
            )}
          </div>
          <label className="check" htmlFor={`${id}-sneak`}>
            <input id={`${id}-sneak`} type="checkbox" name="chatSneakPeek" checked={sneakPeek} onChange={(e) => setSneakPeek(e.target.checked)} />
            <span>
              <strong>Sneak peek: let agents see what visitors type before they send it</strong>
              <span className="hint">Answer faster: the visitor’s draft shows in the conversation, in italics, while they type.</span>
            </span>
          </label>
        </fieldset>
      )}
      {formError && (
        <div className="alert alert-error" role="alert">
          {formError}
        </div>
      )}
      {saved && (
        <div className="alert alert-success" role="status">
          Saved. Changes apply to new visitor connections right away.
        </div>
      )}
      <div className="form-actions">
        <button className="btn btn-primary" type="submit" disabled={busy}>
          {busy ? 'Saving…' : submitLabel}
        </button>
      </div>
    </form>
  );
}
