'use client';
import { useRouter } from 'next/navigation';
import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import type { WidgetSettings } from '../../server/protocol/widget';
import { ChatSettingsFields, chatErrors, type ChatDraft } from './chat-settings-fields';
import { OriginsField, originLines, originsError } from './origins-field';
import { saveSite } from './save-site';
import { FieldError, type FieldErrors } from './site-form-field';
import { WidgetSettingsFields, widgetDraft, widgetErrors, widgetPayload, type WidgetDraft } from './widget-settings-fields';

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

/** Create or edit a site: name, allowed origins (one per line) and chat settings. Validated by the server. */
export function SiteForm({ siteId, initialName = '', initialOrigins = [], chat, widget, submitLabel }: Props) {
  const router = useRouter();
  const id = useId();
  const [name, setName] = useState(initialName);
  const [origins, setOrigins] = useState(initialOrigins.join('\n'));
  const [chatDraft, setChatDraft] = useState<ChatDraft>({ greeting: chat?.greeting ?? '', sneakPeek: chat?.sneakPeek ?? true });
  const [look, setLook] = useState<WidgetDraft>(() => widgetDraft(widget));
  const [errors, setErrors] = useState<FieldErrors>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  const [busy, setBusy] = useState(false);
  // After a refused save, the first field in error gets the focus: on a long form (and on a
  // phone) its message is often above the fold, and the Save button alone would show nothing.
  const formRef = useRef<HTMLFormElement>(null);
  const focusError = useRef(false);
  useEffect(() => {
    if (!focusError.current) return;
    focusError.current = false;
    formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [errors]);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setSaved(false);
    setFormError(null);
    const allowedOrigins = originLines(origins);
    const local: FieldErrors = {
      name: name.trim() ? undefined : 'Name is required',
      allowedOrigins: originsError(allowedOrigins),
      ...(chat ? chatErrors(chatDraft) : {}),
      ...(widget ? widgetErrors(look) : {}),
    };
    if (Object.values(local).some(Boolean)) {
      focusError.current = true;
      setErrors(local);
      setBusy(false);
      return;
    }
    try {
      const result = await saveSite(siteId, {
        name,
        allowedOrigins,
        ...(chat ? { chatGreeting: chatDraft.greeting, chatSneakPeek: chatDraft.sneakPeek } : {}),
        ...(widget ? widgetPayload(look) : {}),
      });
      if (result.kind === 'signed-out') {
        router.replace(`/login?next=${encodeURIComponent(window.location.pathname)}`);
        return;
      }
      if (result.kind === 'refused') {
        focusError.current = true;
        setErrors(result.fields ?? {});
        if (!result.fields || Object.keys(result.fields).length === 0) setFormError(result.message ?? 'Could not save the site. Try again.');
        setBusy(false);
        return;
      }
      setErrors({});
      if (siteId) {
        const site = result.site;
        setOrigins(site.allowedOrigins.join('\n')); // show them normalized
        if (chat) setChatDraft((d) => ({ ...d, greeting: site.chatGreeting }));
        if (widget) setLook((d) => ({ ...d, accent: site.widgetAccent, launcherText: site.widgetLauncherText }));
        setSaved(true);
        setBusy(false);
        router.refresh();
      } else {
        router.push(`/sites/${result.site.id}/install`);
        router.refresh();
      }
    } catch {
      setFormError('Could not reach Porchlight. Check your connection and try again.');
      setBusy(false);
    }
  }

  return (
    <form ref={formRef} className="form" onSubmit={submit} noValidate data-testid="site-form">
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
        <FieldError id={`${id}-name-error`} error={errors.name} />
      </div>
      <OriginsField formId={id} value={origins} onChange={setOrigins} error={errors.allowedOrigins} />
      {chat && <ChatSettingsFields formId={id} draft={chatDraft} onChange={(patch) => setChatDraft((d) => ({ ...d, ...patch }))} error={errors.chatGreeting} />}
      {widget && <WidgetSettingsFields formId={id} draft={look} onChange={(patch) => setLook((d) => ({ ...d, ...patch }))} errors={errors} />}
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
