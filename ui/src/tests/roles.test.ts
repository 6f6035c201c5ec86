import { describe, expect, it } from 'vitest';
import type { Operator, Role } from '../lib/bindings';
import { allows, ROLE_LABEL } from '../lib/roles';

const as = (role: Role) => ({ kind: 'operator' as const, operator: { role } as Operator });

describe('who may change what (as src/auth.rs)', () => {
  it('lets owners and admins configure, not operators and viewers', () => {
    expect(allows(as('owner'), 'manage_config')).toBe(true);
    expect(allows(as('admin'), 'manage_config')).toBe(true);
    expect(allows(as('agent'), 'manage_config')).toBe(false);
    expect(allows(as('viewer'), 'manage_config')).toBe(false);
    expect(allows(as('agent'), 'manage_team')).toBe(false);
    expect(allows(as('agent'), 'work_inbox')).toBe(true);
    expect(allows(as('viewer'), 'work_inbox')).toBe(false);
  });

  it('keeps tokens and owners to owners', () => {
    expect(allows(as('admin'), 'manage_tokens')).toBe(false);
    expect(allows(as('admin'), 'manage_owners')).toBe(false);
    expect(allows(as('owner'), 'manage_owners')).toBe(true);
    expect(allows({ kind: 'local' }, 'manage_tokens')).toBe(true);
    expect(allows(null, 'manage_config')).toBe(false);
  });

  it('shows the agent role as Operator', () => {
    expect(ROLE_LABEL.agent).toBe('Operator');
  });
});
