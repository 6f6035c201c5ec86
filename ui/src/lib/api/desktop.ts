// The desktop app's own settings: its database and in-process visitor server. Refused by any
// other host (see `hasDesktopSettings` in transport.ts).

import type { DesktopSettings } from '../desktop-bindings';
import { call } from '../transport';

export const desktopSettingsGet = () => call('desktop_settings_get', {});

/** Saves them; a new database applies on the next launch, the visitor server at once. */
export const desktopSettingsSet = (settings: DesktopSettings) =>
  call('desktop_settings_set', settings);
