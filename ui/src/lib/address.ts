// Listening addresses (`host:port`) as the desktop settings take them.

/** Whether `address` only accepts connections from this machine (127.0.0.0/8, ::1). */
export function isLoopbackAddress(address: string): boolean {
  const a = address.trim();
  const v6 = /^\[([^\]]+)\]:\d+$/.exec(a);
  if (v6) return v6[1] === '::1' || /^(0:){7}0*1$/.test(v6[1]);
  const m = /^(\d+)\.\d+\.\d+\.\d+:\d+$/.exec(a);
  return m !== null && m[1] === '127';
}

/** The URL a website reaches a server listening on `address` at: a wildcard address
 * (0.0.0.0, [::]) is shown as this machine's loopback, to be replaced by its public name. */
export function addressUrl(address: string): string {
  const a = address
    .trim()
    .replace(/^0\.0\.0\.0:/, '127.0.0.1:')
    .replace(/^\[::\]:/, '[::1]:');
  return `http://${a}`;
}
