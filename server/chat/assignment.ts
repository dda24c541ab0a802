// Who gets a new visitor conversation. "first_reply": nobody until an agent answers (the first
// to reply is assigned). "round_robin": the next online agent after the last one given one, in a
// fixed order, so every online agent gets their turn.

export const ASSIGNMENT_MODES = ['round_robin', 'first_reply'] as const;
export type AssignmentMode = (typeof ASSIGNMENT_MODES)[number];

export function nextInRotation(onlineIds: readonly string[], last: string | null): string | null {
  const ids = [...new Set(onlineIds)].sort();
  if (!ids.length) return null;
  return (last === null ? undefined : ids.find((id) => id > last)) ?? ids[0]!;
}
