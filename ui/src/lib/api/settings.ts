// Workspace settings: outgoing email (SMTP), the public address, and the notifications sent.

import type { SmtpSettings } from '../bindings';
import { call } from '../transport';

/** Null until configured; a stored password comes back as `***`. */
export const smtpGet = () => call('settings_smtp_get', {});

export const smtpSet = (settings: SmtpSettings) => call('settings_smtp_set', settings);

/** Sends a test email with the saved settings. */
export const smtpTest = (to: string) => call('settings_smtp_test', { to });

export const publicUrlGet = () => call('settings_public_url_get', {});

/** Null or empty clears it: links use the server's own address again. */
export const publicUrlSet = (url: string | null) => call('settings_public_url_set', { url });

/** Handoff emails, newest first. */
export const notificationList = () => call('notification_list', {});
