import { isIP } from 'node:net';

/**
 * The address a request came from. Behind `trustedHops` reverse proxies, each of which appends
 * the address it saw to X-Forwarded-For, the client is that many entries from the end; entries
 * further left were written by the client and are never believed.
 */
export function clientAddress(
  socketAddress: string | undefined,
  forwardedFor: string | string[] | undefined,
  trustedHops: number,
): string {
  const direct = normalise(socketAddress ?? '') ?? 'unknown';
  if (trustedHops <= 0 || forwardedFor === undefined) return direct;
  const hops = (Array.isArray(forwardedFor) ? forwardedFor.join(',') : forwardedFor)
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry.length > 0);
  if (hops.length === 0) return direct;
  // Fewer entries than proxies: the farthest one is still the best the proxies vouch for.
  const candidate = hops[Math.max(0, hops.length - trustedHops)];
  return normalise(candidate) ?? direct;
}

/**
 * The key a client is limited under: an IPv4 address, or the /64 prefix of an IPv6 one (one
 * subscriber usually holds a whole /64, so counting single IPv6 addresses would limit nothing).
 */
export function limitKey(address: string): string {
  if (isIP(address) !== 6) return address;
  const groups = expandIPv6(address);
  return groups ? `${groups.slice(0, 4).join(':')}::/64` : address;
}

/** A bare IP address from "1.2.3.4", "1.2.3.4:5678" (Azure App Service), "[::1]:80" or "::ffff:1.2.3.4". */
function normalise(raw: string): string | undefined {
  let value = raw.trim();
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(value);
  if (bracketed) value = bracketed[1];
  else if (/^\d{1,3}(?:\.\d{1,3}){3}:\d+$/.test(value)) value = value.slice(0, value.lastIndexOf(':'));
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(value);
  if (mapped) value = mapped[1];
  return isIP(value) === 0 ? undefined : value.toLowerCase();
}

/** The eight 16-bit groups of an IPv6 address, without zone; undefined when it cannot be read. */
function expandIPv6(address: string): string[] | undefined {
  const withoutZone = address.split('%')[0];
  const [head, tail] = withoutZone.split('::');
  const parse = (part: string | undefined): string[] => (part ? part.split(':') : []);
  const left = parse(head);
  const right = parse(tail);
  // An IPv4 tail ("::1.2.3.4") is two groups; the prefix is all that matters here.
  const count = (groups: string[]): number => groups.reduce((n, g) => n + (g.includes('.') ? 2 : 1), 0);
  const missing = 8 - count(left) - count(right);
  if (tail === undefined ? missing !== 0 : missing < 0) return undefined;
  return [...left, ...Array<string>(tail === undefined ? 0 : missing).fill('0'), ...right].map((g) =>
    g.includes('.') ? g : g.replace(/^0+(?=.)/, ''),
  );
}
