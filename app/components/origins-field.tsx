// The allowed origins field: one origin per line. Only "at least one" is checked here; the server
// checks each line and its errors (one per line) are listed.
import { describedBy, type FieldProps } from './site-form-field';

/** The non-empty lines of the field, trimmed. */
export function originLines(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean);
}

export function originsError(origins: readonly string[]): string | undefined {
  return origins.length === 0 ? 'Add at least one allowed origin' : undefined;
}

export function OriginsField({ formId, value, onChange, error }: FieldProps<string>) {
  const base = `${formId}-origins`;
  return (
    <div className="field">
      <label className="label" htmlFor={base}>
        Allowed origins
      </label>
      <textarea
        id={base}
        name="allowedOrigins"
        className="textarea"
        value={value}
        onChange={(e) => onChange(e.target.value)}
        placeholder={'https://www.example.com\nhttps://example.com'}
        rows={4}
        spellCheck={false}
        aria-invalid={!!error}
        aria-describedby={describedBy(base, error)}
      />
      <span className="hint" id={`${base}-hint`}>
        One per line: scheme, host and port, no path. Pages on any other origin are refused.
      </span>
      {error && (
        <div className="field-error" id={`${base}-error`} role="alert" data-testid="origins-error">
          {error.includes('\n') ? (
            <ul style={{ margin: 0, paddingLeft: 18 }}>
              {error.split('\n').map((line, i) => (
                <li key={i}>{line}</li>
              ))}
            </ul>
          ) : (
            error
          )}
        </div>
      )}
    </div>
  );
}
