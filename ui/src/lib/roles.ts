// Who may change what, as the server enforces it (src/auth.rs), so that pages an operator may
// not change are shown read-only instead of failing on Save. The server still has the final say.

import type { Role } from './bindings';
import type { Identity } from './transport';

/** How a role is named in the UI. The API value `agent` is an operator who works the inbox. */
export const ROLE_LABEL: Record<Role, string> = {
  owner: 'Owner',
  admin: 'Admin',
  agent: 'Operator',
  viewer: 'Viewer',
};

export const ROLE_HELP: Record<Role, string> = {
  owner: 'Everything, including other owners and API tokens.',
  admin: 'Configuration and the team; not API tokens.',
  agent: 'Works the inbox: takes over, replies, resolves. Reads the configuration.',
  viewer: 'Reads the inbox and the configuration; changes nothing.',
};

export type Permission =
  | 'manage_config'
  | 'manage_agents'
  | 'manage_team'
  | 'manage_tokens'
  /** Make owners, or change an owner's account. */
  | 'manage_owners'
  | 'work_inbox';

/** Mirrors `Actor::allows` for the two identities the UI has: the desktop app's local owner
 * and a signed-in operator. */
export function allows(identity: Identity | null | undefined, p: Permission): boolean {
  if (!identity) return false;
  if (identity.kind === 'local') return true;
  switch (identity.operator.role) {
    case 'owner':
      return true;
    case 'admin':
      return p !== 'manage_tokens' && p !== 'manage_owners';
    case 'agent':
      return p === 'work_inbox';
    case 'viewer':
      return false;
  }
}

/** The line a read-only page shows, in plain words. */
export function readOnlyReason(p: Permission): string {
  return p === 'manage_tokens' || p === 'manage_owners'
    ? 'Only an owner can change this.'
    : 'Only an owner or admin can change this.';
}
