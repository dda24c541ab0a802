// The Chat section of the site form (shown when editing a site): the greeting and sneak peek.
import { describedBy, FieldError } from './site-form-field';

export interface ChatDraft {
  greeting: string;
  sneakPeek: boolean;
}

const GREETING_MAX = 500;

export function chatErrors(draft: ChatDraft): { chatGreeting?: string } {
  return draft.greeting.trim().length > GREETING_MAX ? { chatGreeting: `The greeting is at most ${GREETING_MAX} characters` } : {};
}

interface Props {
  /** The form's useId(): the fields' ids derive from it. */
  formId: string;
  draft: ChatDraft;
  onChange: (patch: Partial<ChatDraft>) => void;
  error: string | undefined;
}

export function ChatSettingsFields({ formId, draft, onChange, error }: Props) {
  const base = `${formId}-greeting`;
  return (
    <fieldset className="form-section" data-testid="chat-settings">
      <legend>Chat</legend>
      <div className="field">
        <label className="label" htmlFor={base}>
          Chat greeting
        </label>
        <textarea
          id={base}
          name="chatGreeting"
          className="textarea textarea-prose"
          value={draft.greeting}
          onChange={(e) => onChange({ greeting: e.target.value })}
          placeholder="Hi! Ask us anything, we usually answer in a few minutes."
          rows={3}
          maxLength={GREETING_MAX}
          aria-invalid={!!error}
          aria-describedby={describedBy(base, error)}
        />
        <span className="hint field-hint-row" id={`${base}-hint`}>
          <span>The first line visitors read when they open the chat. Leave it empty for none.</span>
          <span className="counter" data-testid="greeting-count">
            {draft.greeting.length} / {GREETING_MAX}
          </span>
        </span>
        <FieldError id={`${base}-error`} error={error} />
      </div>
      <label className="check" htmlFor={`${formId}-sneak`}>
        <input id={`${formId}-sneak`} type="checkbox" name="chatSneakPeek" checked={draft.sneakPeek} onChange={(e) => onChange({ sneakPeek: e.target.checked })} />
        <span>
          <strong>Sneak peek: let agents see what visitors type before they send it</strong>
          <span className="hint">Answer faster: the visitor’s draft shows in the conversation, in italics, while they type.</span>
        </span>
      </label>
    </fieldset>
  );
}
