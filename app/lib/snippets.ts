// Example code shown to site owners.
export const IDENTIFY_EXAMPLE = `Porchlight('identify', {
  name: 'Ada Lovelace',
  email: 'ada@example.com',
  plan: 'pro'
});`;
