// The widget's accent colour: a colour picker beside the hex text it edits (either may be used).
import { describedBy, FieldError, type FieldProps } from './site-form-field';

export const HEX = /^#[0-9a-f]{6}$/i;
export const DEFAULT_ACCENT = '#2563eb';

export function WidgetAccentField({ formId, value, onChange, error }: FieldProps<string>) {
  const base = `${formId}-accent`;
  return (
    <div className="field">
      <label className="label" htmlFor={base}>
        Accent colour
      </label>
      <span className="field-hint-row">
        <input
          type="color"
          aria-label="Pick the accent colour"
          // The picker only takes #rrggbb: while the text is not one, it shows the default.
          value={HEX.test(value.trim()) ? value.trim().toLowerCase() : DEFAULT_ACCENT}
          onChange={(e) => onChange(e.target.value)}
          data-testid="widget-accent-picker"
        />
        <input
          id={base}
          name="widgetAccent"
          className="input mono"
          value={value}
          onChange={(e) => onChange(e.target.value)}
          placeholder="#2563eb"
          maxLength={7}
          spellCheck={false}
          aria-invalid={!!error}
          aria-describedby={describedBy(base, error)}
        />
      </span>
      <span className="hint" id={`${base}-hint`}>
        The launcher, the chat panel&apos;s header and buttons, and the call card. Text on it turns dark on light colours.
      </span>
      <FieldError id={`${base}-error`} error={error} />
    </div>
  );
}
