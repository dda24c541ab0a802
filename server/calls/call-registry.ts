// The live calls and their indexes: one visitor, one call; one agent, one call. The CallBook
// decides what happens to a call; this only keeps the maps in step.
import type { Call } from './call-types';

const visitorKey = (siteId: string, visitorId: string) => `${siteId}\n${visitorId}`;

export class CallRegistry {
  private readonly calls = new Map<string, Call>();
  private readonly byVisitor = new Map<string, string>();
  private readonly byAgent = new Map<string, string>();

  add(call: Call): void {
    this.calls.set(call.id, call);
    this.byVisitor.set(visitorKey(call.siteId, call.visitorId), call.id);
    this.byAgent.set(call.agent.userId, call.id);
  }

  remove(call: Call): void {
    this.calls.delete(call.id);
    this.byVisitor.delete(visitorKey(call.siteId, call.visitorId));
    this.byAgent.delete(call.agent.userId);
  }

  get(callId: string): Call | undefined {
    return this.calls.get(callId);
  }

  ofVisitor(siteId: string, visitorId: string): Call | undefined {
    return this.calls.get(this.byVisitor.get(visitorKey(siteId, visitorId)) ?? '');
  }

  agentBusy(userId: string): boolean {
    return this.byAgent.has(userId);
  }

  values(): IterableIterator<Call> {
    return this.calls.values();
  }
}
