import { describe, expect, it } from 'vitest';
import { addressUrl, isLoopbackAddress } from '../lib/address';

describe('listening addresses', () => {
  it('knows loopback from reachable addresses', () => {
    expect(isLoopbackAddress('127.0.0.1:8787')).toBe(true);
    expect(isLoopbackAddress(' 127.1.2.3:80 ')).toBe(true);
    expect(isLoopbackAddress('[::1]:8787')).toBe(true);
    expect(isLoopbackAddress('0.0.0.0:8787')).toBe(false);
    expect(isLoopbackAddress('192.168.1.10:8787')).toBe(false);
    expect(isLoopbackAddress('[::]:8787')).toBe(false);
    expect(isLoopbackAddress('nonsense')).toBe(false);
  });

  it('turns an address into a URL', () => {
    expect(addressUrl('127.0.0.1:8787')).toBe('http://127.0.0.1:8787');
    expect(addressUrl('0.0.0.0:9000')).toBe('http://127.0.0.1:9000');
  });
});
