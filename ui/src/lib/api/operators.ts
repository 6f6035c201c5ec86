// The team: operators, their roles, and whether they can sign in.

import type { OperatorCreate, OperatorUpdate } from '../bindings';
import { call } from '../transport';

export const operatorList = () => call('operator_list', {});

export const operatorGet = (id: number) => call('operator_get', { id });

export const operatorCreate = (operator: OperatorCreate) => call('operator_create', operator);

/** Changes only the fields given. */
export const operatorUpdate = (id: number, changes: OperatorUpdate) =>
  call('operator_update', { id, changes });

export const operatorDelete = (id: number) => call('operator_delete', { id });
