// Who counts as online: not Away, and at least one tab in use.
import { describe, expect, it } from 'vitest';
import { onlineAgents } from '../../server/team/availability';

const tab = (userId: string, o: { away?: boolean; idle?: boolean } = {}) => ({ userId, away: o.away ?? false, idle: o.idle ?? false });

describe('availability', () => {
  it('an agent with one tab in use is online once, however many tabs they have', () => {
    expect(onlineAgents([tab('ana'), tab('ana', { idle: true }), tab('ana')]).map((t) => t.userId)).toEqual(['ana']);
  });
  it('an agent whose every tab is hidden past the idle time is not online', () => {
    expect(onlineAgents([tab('ana', { idle: true }), tab('ana', { idle: true })])).toEqual([]);
  });
  it('Away wins over a tab in use', () => {
    expect(onlineAgents([tab('ana', { away: true }), tab('ben')]).map((t) => t.userId)).toEqual(['ben']);
  });
  it('no tabs, nobody online', () => {
    expect(onlineAgents([])).toEqual([]);
  });
});
