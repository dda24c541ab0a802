// Example code shown to site owners.
export const IDENTIFY_EXAMPLE = `Porchlight('identify', {
  name: 'Ada Lovelace',
  email: 'ada@example.com',
  plan: 'pro'
});`;

export const CHAT_API_EXAMPLE = `Porchlight('chat:open');   // open the chat panel (chat:close closes it)
Porchlight('chat:hide');   // no chat launcher on this page, e.g. checkout (chat:show)
Porchlight('on', 'chat:message', function (m) {
  // an agent wrote: m.agentName, m.text
});`;
