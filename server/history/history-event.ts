// What the presence engine hands the history writer, and what the writer tells back about visitors.
import type { Device, Identity, PageRef, Utm } from '../protocol';

export type HistoryEvent =
  | {
      kind: 'visit';
      siteId: string;
      visitorKey: string;
      visitKey: string;
      at: number;
      startedAt: number;
      landing: PageRef;
      referrer: string;
      source: string;
      utm: Utm;
      country: string | null;
      device: Device;
    }
  | { kind: 'page'; siteId: string; visitorKey: string; visitKey: string; page: PageRef; at: number }
  | { kind: 'seen'; siteId: string; visitorKey: string; visitKey: string; at: number }
  | { kind: 'identify'; siteId: string; visitorKey: string; name?: string; email?: string; attributes?: Record<string, string | number | boolean> };

export interface RecalledVisitor {
  siteId: string;
  visitorKey: string;
  visitCount: number;
  identity: Identity;
}
