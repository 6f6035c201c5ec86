// Application-wide state: who is signed in, which agent the pages work on, the operators (for
// names and pickers), notifications and the unsaved-changes guard.

import type { Agent, Operator } from './bindings';
import { agentList } from './api/agents';
import { operatorList } from './api/operators';
import { auth, type Identity } from './transport';

function stored(key: string): string | null {
  try {
    return localStorage.getItem(key);
  } catch {
    return null;
  }
}

function store(key: string, value: string | null) {
  try {
    if (value === null) localStorage.removeItem(key);
    else localStorage.setItem(key, value);
  } catch {
    // Private mode: not remembered, nothing else changes.
  }
}

export type Toast = { id: number; text: string; kind: 'ok' | 'error' };

class AppState {
  identity = $state<Identity | null | undefined>(undefined);
  agents = $state<Agent[]>([]);
  agentId = $state<number | null>(null);
  operators = $state<Operator[]>([]);
  /** Desktop app: the operator the local user works the inbox as (the core needs one). */
  actingOperatorId = $state<number | null>(null);
  toasts = $state<Toast[]>([]);
  /** Set by a page with unsaved edits; navigation asks before leaving. */
  unsaved = $state<string | null>(null);

  agent = $derived(this.agents.find((a) => a.id === this.agentId) ?? null);

  /** The operator whose inbox ("Mine") and actions these are. */
  me = $derived.by((): Operator | null => {
    const id = this.identity;
    if (id?.kind === 'operator') {
      return this.operators.find((o) => o.id === id.operator.id) ?? id.operator;
    }
    return this.operators.find((o) => o.id === this.actingOperatorId) ?? null;
  });

  async loadIdentity() {
    this.identity = await auth.whoami();
  }

  async loadAgents() {
    this.agents = await agentList();
    const remembered = Number(stored('baton.agent'));
    const pick =
      this.agents.find((a) => a.id === (this.agentId ?? remembered)) ??
      this.agents.find((a) => a.is_default) ??
      this.agents[0];
    this.agentId = pick?.id ?? null;
  }

  selectAgent(id: number) {
    this.agentId = id;
    store('baton.agent', String(id));
  }

  async loadOperators() {
    try {
      this.operators = await operatorList();
    } catch {
      // A viewer may not list operators: names fall back to "Operator #id".
      this.operators = [];
    }
    if (this.identity?.kind === 'local') {
      const remembered = Number(stored('baton.actingOperator'));
      const active = this.operators.filter((o) => o.is_active);
      const pick =
        active.find((o) => o.id === (this.actingOperatorId ?? remembered)) ??
        active.find((o) => o.role === 'owner') ??
        active[0];
      this.actingOperatorId = pick?.id ?? null;
    }
  }

  setActingOperator(id: number) {
    this.actingOperatorId = id;
    store('baton.actingOperator', String(id));
  }

  operatorName(id: number | null | undefined): string {
    if (id === null || id === undefined) return 'Unassigned';
    return this.operators.find((o) => o.id === id)?.name ?? `Operator #${id}`;
  }

  private nextToast = 1;
  toast(text: string, kind: Toast['kind'] = 'ok') {
    const id = this.nextToast++;
    this.toasts = [...this.toasts, { id, text, kind }].slice(-3);
    setTimeout(() => this.dismiss(id), kind === 'error' ? 8000 : 3500);
  }

  dismiss(id: number) {
    this.toasts = this.toasts.filter((t) => t.id !== id);
  }

  signedOut() {
    this.identity = null;
    this.unsaved = null;
  }
}

export const app = new AppState();
