'use client';
import { useRouter } from 'next/navigation';
import { useId, useState, type FormEvent } from 'react';
import { LAUNCHER_TEXT_MAX, MAX_OFFSET, type WidgetLanguageSetting, type WidgetSettings, type WidgetSide } from '../../server/protocol/widget';

interface Props {
  /** Present when editing an existing site. */
  siteId?: string;
  initialName?: string;
  initialOrigins?: string[];
  /** The chat settings, shown when editing a site (a new site starts with the defaults). */
  chat?: { greeting: string; sneakPeek: boolean };
  /** The widget's appearance and language, shown when editing a site. */
  widget?: WidgetSettings;
  submitLabel: string;
}

type FieldErrors = {
  name?: string;
  allowedOrigins?: string;
  chatGreeting?: string;
  widgetAccent?: string;
  widgetSide?: string;
  widgetOffset?: string;
  widgetLauncherText?: string;
  widgetLanguage?: string;
};

const GREETING_MAX = 500;
const LANGUAGE_NAMES: Record<WidgetLanguageSetting, string> = {
  auto: "The visitor's browser language (English otherwise)",
  en: 'English',
  es: 'Spanish (Español)',
  de: 'German (Deutsch)',
  fr: 'French (Français)',
  pt: 'Portuguese (Português)',
};
const HEX = /^#[0-9a-f]{6}$/i;

/** Create or edit a site: name, allowed origins (one per line) and chat settings. Validated by the server. */
export function SiteForm({ siteId, initialName = '', initialOrigins = [], chat, widget, submitLabel }: Props) {
  const router = useRouter();
  const id = useId();
  const [name, setName] = useState(initialName);
  const [origins, setOrigins] = useState(initialOrigins.join('\n'));
  const [greeting, setGreeting] = useState(chat?.greeting ?? '');
  const [sneakPeek, setSneakPeek] = useState(chat?.sneakPeek ?? true);
  const [accent, setAccent] = useState(widget?.accent ?? '#2563eb');
  const [side, setSide] = useState<WidgetSide>(widget?.side ?? 'right');
  const [offset, setOffset] = useState(String(widget?.offset ?? 20));
  const [launcherText, setLauncherText] = useState(widget?.launcherText ?? '');
  const [language, setLanguage] = useState<WidgetLanguageSetting>(widget?.language ?? 'auto');
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
    const offsetPx = Number(offset);
    if (widget) {
      if (!HEX.test(accent.trim())) local.widgetAccent = 'The colour is a hex colour like #2563eb';
      if (offset.trim() === '' || !Number.isInteger(offsetPx) || offsetPx < 0 || offsetPx > MAX_OFFSET) local.widgetOffset = `The offset is a whole number of pixels from 0 to ${MAX_OFFSET}`;
      if (launcherText.trim().length > LAUNCHER_TEXT_MAX) local.widgetLauncherText = `The launcher text is at most ${LAUNCHER_TEXT_MAX} characters`;
    }
    if (Object.values(local).some(Boolean)) {
      setErrors(local);
      setBusy(false);
      return;
    }
    try {
      const res = await fetch(siteId ? `/api/sites/${siteId}` : '/api/sites', {
        method: siteId ? 'PATCH' : 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          name,
          allowedOrigins,
          ...(chat ? { chatGreeting: greeting, chatSneakPeek: sneakPeek } : {}),
          ...(widget ? { widgetAccent: accent.trim(), widgetSide: side, widgetOffset: offsetPx, widgetLauncherText: launcherText, widgetLanguage: language } : {}),
        }),
      });
      const body = (await res.json().catch(() => null)) as
        | { ok: true; site: { id: string; allowedOrigins: string[]; chatGreeting: string; widgetAccent: string; widgetLauncherText: string } }
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
        if (widget) {
          setAccent(body.site.widgetAccent);
          setLauncherText(body.site.widgetLauncherText);
        }
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
      {widget && (
        <fieldset className="form-section" data-testid="widget-settings">
          <legend>Widget appearance and language</legend>
          <div className="field">
            <label className="label" htmlFor={`${id}-accent`}>
              Accent colour
            </label>
            <span className="field-hint-row">
              <input
                type="color"
                aria-label="Pick the accent colour"
                value={HEX.test(accent.trim()) ? accent.trim().toLowerCase() : '#2563eb'}
                onChange={(e) => setAccent(e.target.value)}
                data-testid="widget-accent-picker"
              />
              <input
                id={`${id}-accent`}
                name="widgetAccent"
                className="input mono"
                value={accent}
                onChange={(e) => setAccent(e.target.value)}
                placeholder="#2563eb"
                maxLength={7}
                spellCheck={false}
                aria-invalid={!!errors.widgetAccent}
                aria-describedby={`${id}-accent-hint${errors.widgetAccent ? ` ${id}-accent-error` : ''}`}
              />
            </span>
            <span className="hint" id={`${id}-accent-hint`}>
              The launcher, the chat panel&apos;s header and buttons, and the call card. Text on it turns dark on light colours.
            </span>
            {errors.widgetAccent && (
              <span className="field-error" id={`${id}-accent-error`} role="alert">
                {errors.widgetAccent}
              </span>
            )}
          </div>
          <div className="field" role="radiogroup" aria-labelledby={`${id}-side-label`}>
            <span className="label" id={`${id}-side-label`}>
              Side
            </span>
            {(['right', 'left'] as const).map((v) => (
              <label key={v} className="check" htmlFor={`${id}-side-${v}`}>
                <input id={`${id}-side-${v}`} type="radio" name="widgetSide" value={v} checked={side === v} onChange={() => setSide(v)} />
                <span>Bottom {v}</span>
              </label>
            ))}
          </div>
          <div className="field">
            <label className="label" htmlFor={`${id}-offset`}>
              Distance from the bottom (px)
            </label>
            <input
              id={`${id}-offset`}
              name="widgetOffset"
              className="input"
              type="number"
              inputMode="numeric"
              min={0}
              max={MAX_OFFSET}
              step={1}
              value={offset}
              onChange={(e) => setOffset(e.target.value)}
              aria-invalid={!!errors.widgetOffset}
              aria-describedby={`${id}-offset-hint${errors.widgetOffset ? ` ${id}-offset-error` : ''}`}
            />
            <span className="hint" id={`${id}-offset-hint`}>
              0 to {MAX_OFFSET}. Raise the launcher so it does not cover your page&apos;s own buttons (cookie bar, back to top).
            </span>
            {errors.widgetOffset && (
              <span className="field-error" id={`${id}-offset-error`} role="alert">
                {errors.widgetOffset}
              </span>
            )}
          </div>
          <div className="field">
            <label className="label" htmlFor={`${id}-launcher`}>
              Launcher text
            </label>
            <input
              id={`${id}-launcher`}
              name="widgetLauncherText"
              className="input"
              value={launcherText}
              onChange={(e) => setLauncherText(e.target.value)}
              placeholder="Chat with us"
              maxLength={LAUNCHER_TEXT_MAX}
              aria-invalid={!!errors.widgetLauncherText}
              aria-describedby={`${id}-launcher-hint${errors.widgetLauncherText ? ` ${id}-launcher-error` : ''}`}
            />
            <span className="hint" id={`${id}-launcher-hint`}>
              Shown beside the chat icon, up to {LAUNCHER_TEXT_MAX} characters. Empty: a round button named &ldquo;Chat with us&rdquo; in the visitor&apos;s language.
            </span>
            {errors.widgetLauncherText && (
              <span className="field-error" id={`${id}-launcher-error`} role="alert">
                {errors.widgetLauncherText}
              </span>
            )}
          </div>
          <div className="field">
            <label className="label" htmlFor={`${id}-language`}>
              Language
            </label>
            <select
              id={`${id}-language`}
              name="widgetLanguage"
              className="input"
              value={language}
              onChange={(e) => setLanguage(e.target.value as WidgetLanguageSetting)}
              aria-invalid={!!errors.widgetLanguage}
            >
              {(Object.keys(LANGUAGE_NAMES) as WidgetLanguageSetting[]).map((l) => (
                <option key={l} value={l}>
                  {LANGUAGE_NAMES[l]}
                </option>
              ))}
            </select>
            <span className="hint">What the chat panel and the call card say to visitors. The default greeting is translated; a greeting you wrote is shown as you wrote it.</span>
            {errors.widgetLanguage && (
              <span className="field-error" role="alert">
                {errors.widgetLanguage}
              </span>
            )}
          </div>
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
