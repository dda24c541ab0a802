// What the site form's fields share: their errors (found locally before sending, or answered by
// the server per field), how an error is shown and named, and the props of a one-value field.

export type FieldErrors = {
  name?: string;
  allowedOrigins?: string;
  chatGreeting?: string;
  widgetAccent?: string;
  widgetSide?: string;
  widgetOffset?: string;
  widgetLauncherText?: string;
  widgetLanguage?: string;
};

/** aria-describedby of a field with a hint (`${base}-hint`), naming its error too while there is one. */
export function describedBy(base: string, error: string | undefined): string {
  return `${base}-hint${error ? ` ${base}-error` : ''}`;
}

export function FieldError({ id, error }: { id?: string; error: string | undefined }) {
  if (!error) return null;
  return (
    <span className="field-error" id={id} role="alert">
      {error}
    </span>
  );
}

/** A field holding one value of the form's state; its ids derive from the form's useId(). */
export interface FieldProps<T> {
  formId: string;
  value: T;
  onChange: (value: T) => void;
  error: string | undefined;
}
