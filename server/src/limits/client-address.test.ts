import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { addressKey, clientAddress } from './client-address';

describe('addressKey', () => {
  it.each([
    ['203.0.113.7', '203.0.113.7'],
    ['::ffff:203.0.113.7', '203.0.113.7'],
    ['2001:db8:1:2:3:4:5:6', '2001:db8:1:2::/64'],
    ['2001:0db8:0001:0002:ffff::1', '2001:db8:1:2::/64'],
    ['2001:db8::1', '2001:db8:0:0::/64'],
    ['::1', '0:0:0:0::/64'],
  ])('%s is counted as %s', (address, key) => {
    expect(addressKey(address)).toBe(key);
  });
});

describe('clientAddress', () => {
  const app = new Hono().get('/', (c) => c.text(String(clientAddress(c, c.req.query('trust') === '1'))));
  const ask = async (trust: boolean, headers: Record<string, string>, remoteAddress?: string) =>
    (await app.request(`/?trust=${trust ? 1 : 0}`, { headers }, remoteAddress ? { incoming: { socket: { remoteAddress } } } : undefined)).text();

  it('is the socket peer unless a proxy is trusted, then the last X-Forwarded-For entry', async () => {
    expect(await ask(false, { 'x-forwarded-for': '198.51.100.1' }, '10.0.0.9')).toBe('10.0.0.9');
    expect(await ask(true, { 'x-forwarded-for': '6.6.6.6, 198.51.100.1' }, '10.0.0.9')).toBe('198.51.100.1');
    expect(await ask(true, {}, '10.0.0.9')).toBe('10.0.0.9');
    expect(await ask(false, {})).toBe('null');
  });
});
