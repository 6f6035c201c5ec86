// An agent's webhook endpoints (events POSTed to the business's systems, signed), their test
// event and their delivery log. The signing secret is in an answer only once: on create and on
// rotation (`WebhookWithSecret`); every other answer leaves it out.

import type { WebhookDeliveryQuery, WebhookInput } from '../bindings';
import { call } from '../transport';

/** `agentId` null: the default agent. */
export const webhookList = (agentId: number | null) =>
  call('webhook_list', { agent_id: agentId ?? undefined });

export const webhookGet = (id: number) => call('webhook_get', { id });

/** The answer carries the signing secret, this once. */
export const webhookCreate = (webhook: WebhookInput) => call('webhook_create', webhook);

/** Saves every field; the secret stays (rotate it instead). */
export const webhookUpdate = (id: number, webhook: WebhookInput) =>
  call('webhook_update', { id, webhook });

/** Its delivery log and the deliveries not yet made go too. */
export const webhookDelete = (id: number) => call('webhook_delete', { id });

/** A new secret, in the answer this once; the previous one keeps signing for 24 h. */
export const webhookRotateSecret = (id: number) => call('webhook_rotate_secret', { id });

/** Sends a `webhook.test` event now (not retried, not in the log). */
export const webhookTest = (id: number) => call('webhook_test', { id });

/** Newest first, with every attempt; the next page is `before_id: page.next_before_id`. */
export const webhookDeliveryList = (query: WebhookDeliveryQuery) =>
  call('webhook_delivery_list', query);

/** Sends a finished delivery again: the same message id and body, a new round of retries. */
export const webhookRedeliver = (deliveryId: number) =>
  call('webhook_redeliver', { id: deliveryId });

/** Sends every failed and exhausted delivery of the endpoint again. */
export const webhookRedeliverFailed = (id: number) => call('webhook_redeliver_failed', { id });
