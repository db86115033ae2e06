// The address a request comes from, for per-address limits: the socket's peer, or the proxy's word for it.
import type { Context } from 'hono';

/**
 * IPv6 hosts usually get a whole /64, so one client could rotate through 2^64 addresses: the /64
 * is what names it. IPv4 addresses (and IPv4 mapped into IPv6) are taken whole.
 */
export function addressKey(address: string): string {
  const trimmed = address.trim();
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(trimmed);
  if (mapped) return mapped[1]!;
  if (!trimmed.includes(':')) return trimmed;
  const [head = '', tail = ''] = trimmed.toLowerCase().split('::', 2);
  const left = head === '' ? [] : head.split(':');
  const right = tail === '' ? [] : tail.split(':');
  const groups = trimmed.includes('::') ? [...left, ...Array<string>(Math.max(0, 8 - left.length - right.length)).fill('0'), ...right] : left;
  return `${groups.slice(0, 4).map((group) => group.replace(/^0+(?=.)/, '')).join(':')}::/64`;
}

/**
 * With trustProxy, the last X-Forwarded-For entry: the address the proxy in front of us saw (one
 * proxy; entries before it are whatever the client wrote). Without it, the TCP peer. Null when
 * neither is known (app.request() in tests has no socket).
 */
export function clientAddress(c: Context, trustProxy: boolean): string | null {
  if (trustProxy) {
    const forwarded = c.req.header('x-forwarded-for')?.split(',').at(-1)?.trim();
    if (forwarded) return addressKey(forwarded);
  }
  const incoming = (c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined)?.incoming;
  const peer = incoming?.socket?.remoteAddress;
  return peer ? addressKey(peer) : null;
}
