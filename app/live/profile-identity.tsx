// What the site told about the visitor through Porchlight('identify', …): name, email and any
// other attributes.
import type { LiveVisitor } from '../../server/protocol';
import { clip } from './format';

export function IdentitySection({ identity }: { identity: LiveVisitor['identity'] }) {
  const attributes = Object.entries(identity.attributes ?? {});
  return (
    <section className="panel-section" aria-labelledby="p-id">
      <h3 id="p-id">Identity &amp; attributes</h3>
      {!identity.name && !identity.email && attributes.length === 0 ? (
        <p className="muted">
          Not identified. Your site can call <span className="inline-code">Porchlight(&apos;identify&apos;, …)</span> when a visitor signs in.
        </p>
      ) : (
        <table className="attrs">
          <tbody>
            {identity.name && (
              <tr>
                <th scope="row">Name</th>
                <td>{clip(identity.name, 200)}</td>
              </tr>
            )}
            {identity.email && (
              <tr>
                <th scope="row">Email</th>
                <td>{clip(identity.email, 254)}</td>
              </tr>
            )}
            {attributes.map(([k, val]) => (
              <tr key={k}>
                <th scope="row">{clip(k, 64)}</th>
                <td>{clip(String(val), 500)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
