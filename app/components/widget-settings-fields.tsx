// The widget section of the site form (shown when editing a site): the widget's look and language,
// edited as text and sent as the API's widget fields.
import { LAUNCHER_TEXT_MAX, MAX_OFFSET, type WidgetLanguageSetting, type WidgetSettings, type WidgetSide } from '../../server/protocol/widget';
import { describedBy, FieldError, type FieldErrors } from './site-form-field';
import { DEFAULT_ACCENT, HEX, WidgetAccentField } from './widget-accent-field';
import { WidgetLanguageField } from './widget-language-field';

/** The fields as typed: the offset stays text until it is checked. */
export interface WidgetDraft {
  accent: string;
  side: WidgetSide;
  offset: string;
  launcherText: string;
  language: WidgetLanguageSetting;
}

export function widgetDraft(widget: WidgetSettings | undefined): WidgetDraft {
  return {
    accent: widget?.accent ?? DEFAULT_ACCENT,
    side: widget?.side ?? 'right',
    offset: String(widget?.offset ?? 20),
    launcherText: widget?.launcherText ?? '',
    language: widget?.language ?? 'auto',
  };
}

export function widgetErrors(draft: WidgetDraft): FieldErrors {
  const errors: FieldErrors = {};
  const offsetPx = Number(draft.offset);
  if (!HEX.test(draft.accent.trim())) errors.widgetAccent = 'The colour is a hex colour like #2563eb';
  if (draft.offset.trim() === '' || !Number.isInteger(offsetPx) || offsetPx < 0 || offsetPx > MAX_OFFSET) errors.widgetOffset = `The offset is a whole number of pixels from 0 to ${MAX_OFFSET}`;
  if (draft.launcherText.trim().length > LAUNCHER_TEXT_MAX) errors.widgetLauncherText = `The launcher text is at most ${LAUNCHER_TEXT_MAX} characters`;
  return errors;
}

/** What the API takes (a checked draft: see widgetErrors). */
export function widgetPayload(draft: WidgetDraft) {
  return { widgetAccent: draft.accent.trim(), widgetSide: draft.side, widgetOffset: Number(draft.offset), widgetLauncherText: draft.launcherText, widgetLanguage: draft.language };
}

interface Props {
  /** The form's useId(): the fields' ids derive from it. */
  formId: string;
  draft: WidgetDraft;
  onChange: (patch: Partial<WidgetDraft>) => void;
  errors: FieldErrors;
}

export function WidgetSettingsFields({ formId: id, draft, onChange, errors }: Props) {
  return (
    <fieldset className="form-section" data-testid="widget-settings">
      <legend>Widget appearance and language</legend>
      <WidgetAccentField formId={id} value={draft.accent} onChange={(accent) => onChange({ accent })} error={errors.widgetAccent} />
      <div className="field" role="radiogroup" aria-labelledby={`${id}-side-label`}>
        <span className="label" id={`${id}-side-label`}>
          Side
        </span>
        {(['right', 'left'] as const).map((v) => (
          <label key={v} className="check" htmlFor={`${id}-side-${v}`}>
            <input id={`${id}-side-${v}`} type="radio" name="widgetSide" value={v} checked={draft.side === v} onChange={() => onChange({ side: v })} />
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
          value={draft.offset}
          onChange={(e) => onChange({ offset: e.target.value })}
          aria-invalid={!!errors.widgetOffset}
          aria-describedby={describedBy(`${id}-offset`, errors.widgetOffset)}
        />
        <span className="hint" id={`${id}-offset-hint`}>
          0 to {MAX_OFFSET}. Raise the launcher so it does not cover your page&apos;s own buttons (cookie bar, back to top).
        </span>
        <FieldError id={`${id}-offset-error`} error={errors.widgetOffset} />
      </div>
      <div className="field">
        <label className="label" htmlFor={`${id}-launcher`}>
          Launcher text
        </label>
        <input
          id={`${id}-launcher`}
          name="widgetLauncherText"
          className="input"
          value={draft.launcherText}
          onChange={(e) => onChange({ launcherText: e.target.value })}
          placeholder="Chat with us"
          maxLength={LAUNCHER_TEXT_MAX}
          aria-invalid={!!errors.widgetLauncherText}
          aria-describedby={describedBy(`${id}-launcher`, errors.widgetLauncherText)}
        />
        <span className="hint" id={`${id}-launcher-hint`}>
          Shown beside the chat icon, up to {LAUNCHER_TEXT_MAX} characters. Empty: a round button named &ldquo;Chat with us&rdquo; in the visitor&apos;s language.
        </span>
        <FieldError id={`${id}-launcher-error`} error={errors.widgetLauncherText} />
      </div>
      <WidgetLanguageField formId={id} value={draft.language} onChange={(language) => onChange({ language })} error={errors.widgetLanguage} />
    </fieldset>
  );
}
