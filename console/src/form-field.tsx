import type { InputHTMLAttributes } from 'preact';

/** A field's element id from the API's error path ('people.0.phone' → 'f-people-0-phone'), so an error links to its field. */
export const fieldId = (path: string): string => `f-${path.replace(/\./g, '-')}`;

/** The input attributes the console's fields use. */
interface InputProps {
  type?: 'text' | 'number' | 'date' | 'datetime-local' | 'tel';
  size?: number;
  min?: number;
  max?: number;
  step?: string;
  maxLength?: number;
  autoComplete?: string;
  inputMode?: 'text' | 'tel' | 'numeric' | 'decimal';
}

/**
 * A labelled text input or text area with its hint and its error (the console's check, or the
 * API's problem for that path) beneath it, tied to it by aria-describedby.
 */
export function TextField(props: { path: string; label: string; value: string; onValue: (value: string) => void; error?: string | undefined; hint?: string; multiline?: boolean } & InputProps) {
  const { path, label, value, onValue, error, hint, multiline, ...rest } = props;
  const id = fieldId(path);
  const described = [hint && `${id}-hint`, error && `${id}-error`].filter(Boolean).join(' ') || undefined;
  const common = { id, value, 'aria-invalid': error ? true : undefined, 'aria-describedby': described };
  return (
    <div class="field">
      <label for={id}>{label}</label>
      {multiline ? (
        <textarea {...common} rows={3} onInput={(e) => onValue(e.currentTarget.value)} />
      ) : (
        <input
          // Preact's input types pair each type with its own attributes; these few are valid for every type used here.
          {...({ ...rest, type: rest.type ?? 'text', ...common } as unknown as InputHTMLAttributes<HTMLInputElement>)}
          onInput={(e) => onValue(e.currentTarget.value)}
        />
      )}
      {hint && (
        <p id={`${id}-hint`} class="hint">
          {hint}
        </p>
      )}
      <FieldError id={id} error={error} />
    </div>
  );
}

/** The error beneath a field (for selects and checkboxes, which TextField does not draw). */
export function FieldError(props: { id: string; error?: string | undefined }) {
  return props.error ? (
    <p id={`${props.id}-error`} class="hint error">
      {props.error}
    </p>
  ) : null;
}
