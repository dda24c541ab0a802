import { CopyButton } from './copy-button';

/** A dark code block with a Copy button. The code is rendered as text. */
export function CodeBlock({ code, label, testId }: { code: string; label: string; testId?: string }) {
  return (
    <div className="code-block">
      <pre aria-label={label} tabIndex={0} data-testid={testId}>
        <code>{code}</code>
      </pre>
      <div className="copy">
        <CopyButton text={code} />
      </div>
    </div>
  );
}
