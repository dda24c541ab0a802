// The rotation: every online agent gets their turn, in a fixed order, whoever came online when.
import { describe, expect, it } from 'vitest';
import { nextInRotation } from '../../server/chat/assignment';

describe('round-robin rotation', () => {
  it('goes through the online agents in turn and wraps around', () => {
    const online = ['u-cy', 'u-ana', 'u-ben'];
    let last: string | null = null;
    const got: string[] = [];
    for (let i = 0; i < 6; i++) {
      last = nextInRotation(online, last);
      got.push(last!);
    }
    expect(got).toEqual(['u-ana', 'u-ben', 'u-cy', 'u-ana', 'u-ben', 'u-cy']);
  });
  it('skips agents who went offline and takes in those who came online', () => {
    expect(nextInRotation(['u-ana', 'u-cy'], 'u-ana')).toBe('u-cy'); // Ben left: Cy is next
    expect(nextInRotation(['u-ana', 'u-ben', 'u-cy'], 'u-ana')).toBe('u-ben'); // Ben is back
    expect(nextInRotation(['u-ana'], 'u-zed')).toBe('u-ana'); // the last one is gone altogether
  });
  it('nobody online, nobody assigned; one agent with several tabs counts once', () => {
    expect(nextInRotation([], 'u-ana')).toBeNull();
    expect(nextInRotation(['u-ana', 'u-ana'], null)).toBe('u-ana');
  });
});
