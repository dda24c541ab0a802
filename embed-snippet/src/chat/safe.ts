// The chat part's guard and logger: the same pattern as the call part's (a part is its own
// bundle: it logs through the core's logger from PartContext, silent until then; guard() also
// catches rejected promises). Re-exported so every chat module imports it from one place.
export { guard, log, setLog } from '../call/safe';
