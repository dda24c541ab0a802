'use client';
// The colleagues on one row's visitor, for the cells that show them. A context rather than row
// data: attention changes often and independently of the visitor, and only that row re-renders.
import { createContext } from 'react';
import type { AgentAttention } from '../../server/protocol';

export const NOBODY: readonly AgentAttention[] = [];
export const RowAttention = createContext<readonly AgentAttention[]>(NOBODY);
