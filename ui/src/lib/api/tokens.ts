// API tokens for scripts and integrations.

import type { TokenCreate } from '../bindings';
import { call } from '../transport';

export const tokenList = () => call('token_list', {});

/** The answer carries the token itself, shown only this once. */
export const tokenCreate = (token: TokenCreate) => call('token_create', token);

export const tokenRevoke = (id: number) => call('token_revoke', { id });
