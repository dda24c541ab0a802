// The language the widget speaks to visitors: one of the widget's languages, or the visitor's own.
import type { WidgetLanguageSetting } from '../../server/protocol/widget';
import { FieldError, type FieldProps } from './site-form-field';

const LANGUAGE_NAMES: Record<WidgetLanguageSetting, string> = {
  auto: "The visitor's browser language (English otherwise)",
  en: 'English',
  es: 'Spanish (Español)',
  de: 'German (Deutsch)',
  fr: 'French (Français)',
  pt: 'Portuguese (Português)',
};

export function WidgetLanguageField({ formId, value, onChange, error }: FieldProps<WidgetLanguageSetting>) {
  return (
    <div className="field">
      <label className="label" htmlFor={`${formId}-language`}>
        Language
      </label>
      <select
        id={`${formId}-language`}
        name="widgetLanguage"
        className="input"
        value={value}
        onChange={(e) => onChange(e.target.value as WidgetLanguageSetting)}
        aria-invalid={!!error}
      >
        {(Object.keys(LANGUAGE_NAMES) as WidgetLanguageSetting[]).map((l) => (
          <option key={l} value={l}>
            {LANGUAGE_NAMES[l]}
          </option>
        ))}
      </select>
      <span className="hint">What the chat panel and the call card say to visitors. The default greeting is translated; a greeting you wrote is shown as you wrote it.</span>
      <FieldError error={error} />
    </div>
  );
}
