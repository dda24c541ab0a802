// The wire protocol shared by the server, the dashboard and the embed snippet, one file per
// area. Types only (plus NAMESPACES and a few limits): clients use `import type`, so nothing
// here reaches a bundle it should not.
export * from './common';
export * from './presence';
export * from './calls';
export * from './chat';
export * from './events';
export * from './widget';
