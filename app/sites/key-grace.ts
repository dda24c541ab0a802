// How long a rotated-out site key keeps working: the choices the settings offer (hours).
export const GRACE_HOURS = [0, 1, 24, 168] as const;
export type GraceHours = (typeof GRACE_HOURS)[number];
export const DEFAULT_GRACE_HOURS: GraceHours = 24;

export const GRACE_LABEL: Record<GraceHours, string> = {
  0: 'Old key stops at once',
  1: 'Old key works 1 more hour',
  24: 'Old key works 24 more hours',
  168: 'Old key works 7 more days',
};
