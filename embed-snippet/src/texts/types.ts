// The shape of the visitor-facing texts, one table per language (en.ts, es.ts, de.ts, fr.ts,
// pt.ts). Each table exports `chat` (the chat part) and `call` (the call part); a part's bundle
// keeps only its own half. Names and other server text passed in go into the page as text only.

export interface ChatTexts {
  /** The launcher's name when the site set no text (also server/protocol/widget.ts LAUNCHER_TEXT). */
  launcher: string;
  /** The panel's name: "Chat with Lumen Lamps". */
  title: (team: string) => string;
  fallbackTeam: string;
  /** Shown instead of the default greeting (server/protocol/widget.ts DEFAULT_CHAT_GREETING) when the site kept it. */
  greeting: string;
  minimise: string;
  expand: string;
  close: string;
  messages: string;
  message: string;
  placeholder: string;
  placeholderOffline: string;
  send: string;
  requestCall: string;
  sending: string;
  notSent: string;
  retry: string;
  seen: string;
  /** Read out before the visitor's own messages ("You: hello"). */
  you: string;
  email: string;
  emailPlaceholder: string;
  emailInvalid: string;
  offline: string;
  offlineKnown: (email: string) => string;
  privacy: string;
  dismiss: string;
  connecting: string;
  /** The header's line when nobody is online. */
  replyByEmail: string;
  /** First names of the agents online (at least one): "Ana is online", "Ana, Ben and 2 others are online". */
  online: (names: readonly string[]) => string;
  /** First names of the agents typing (at least one). */
  typing: (names: readonly string[]) => string;
  callRequested: string;
  closed: string;
  reopened: string;
  rateLimited: string;
  badRequest: string;
  sendFailed: string;
  unread: (n: number) => string;
}

export interface CallTexts {
  /** After the agent's name: "wants to talk to you on a video call". */
  invite: (video: boolean) => string;
  /** The card's name: "Video call from Ana (Lumen Lamps)". */
  dialog: (video: boolean, agent: string, company: string) => string;
  acceptVideo: string;
  acceptAudio: string;
  decline: string;
  tapToHear: (agent: string) => string;
  mute: string;
  cameraOff: string;
  hangUp: string;
  /** Folds the call card to its controls (the call and its sound go on). */
  shrink: string;
  /** Shows the video again. */
  grow: string;
  close: string;
  connecting: string;
  reconnecting: string;
  missed: (agent: string) => string;
  cancelled: (agent: string) => string;
  couldNotConnect: string;
  mediaUnavailable: string;
  /** `took`: ' · 02:31' or ''. */
  agentLeft: (agent: string, took: string) => string;
  agentEnded: (agent: string, took: string) => string;
  ended: (took: string) => string;
  interrupted: string;
  alreadyEnded: string;
  couldNotStart: string;
  micBlockedNoCall: string;
  noMicNoCall: string;
  blockedNoCall: string;
  noDevicesNoCall: string;
  cameraBlockedAudioOnly: string;
  noCameraAudioOnly: string;
  micBlockedSeen: (agent: string) => string;
  noMicSeen: (agent: string) => string;
  remoteSharing: (agent: string) => string;
  remoteMuted: (agent: string) => string;
  remoteCameraOff: (agent: string) => string;
}

/** "Ana", "Ana and Ben", "Ana, Ben and Cy" with the language's "and". */
export const joinNames = (names: readonly string[], and: string): string =>
  names.length < 2 ? (names[0] ?? '') : `${names.slice(0, -1).join(', ')} ${and} ${names[names.length - 1]}`;

/** One of the widget's languages (checked without the page's prototypes: the value comes from outside). */
export const isLanguage = (l: unknown): l is 'en' | 'es' | 'de' | 'fr' | 'pt' => l === 'en' || l === 'es' || l === 'de' || l === 'fr' || l === 'pt';
