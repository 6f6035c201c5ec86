// Copying a snippet or a token, with a toast either way (the clipboard may be refused).

import { app } from './app.svelte';

export async function copyText(text: string, what: string) {
  try {
    await navigator.clipboard.writeText(text);
    app.toast(`${what} copied`);
  } catch {
    app.toast('Copy is not available here: select the text and copy it.', 'error');
  }
}
