/**
 * Where webhooks may post (issue 14 item 2). By default not to this machine or the networks around it: loopback,
 * link-local (cloud metadata at 169.254.169.254), private (RFC 1918, fc00::/7), shared/CGNAT, multicast, broadcast,
 * unspecified and reserved ranges are refused, for IPv4, IPv6 and IPv4 inside IPv6 (::ffff:127.0.0.1, 64:ff9b::/96).
 * The check runs on the address a delivery connects to: the hostname is resolved once, each address is checked, and
 * the socket connects to the checked address (no second lookup, so no window for DNS rebinding).
 *
 * Operators who post to internal services open it: WEBHOOK_ALLOW_PRIVATE=1 allows every address, WEBHOOK_ALLOW_CIDRS
 * (comma-separated, e.g. 10.20.0.0/16,fd00:1::/64) allows those ranges only.
 */
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { BlockList, isIP, type LookupFunction } from 'node:net';
import type { Config } from '../../platform/config.js';

const REFUSED: [string, number, 'ipv4' | 'ipv6', string][] = [
  ['0.0.0.0', 8, 'ipv4', 'unspecified'],
  ['10.0.0.0', 8, 'ipv4', 'private'],
  ['100.64.0.0', 10, 'ipv4', 'shared (carrier-grade NAT)'],
  ['127.0.0.0', 8, 'ipv4', 'loopback'],
  ['169.254.0.0', 16, 'ipv4', 'link-local'],
  ['172.16.0.0', 12, 'ipv4', 'private'],
  ['192.0.0.0', 24, 'ipv4', 'reserved'],
  ['192.168.0.0', 16, 'ipv4', 'private'],
  ['198.18.0.0', 15, 'ipv4', 'reserved'],
  ['224.0.0.0', 4, 'ipv4', 'multicast'],
  ['240.0.0.0', 4, 'ipv4', 'reserved'],
  ['::', 128, 'ipv6', 'unspecified'],
  ['::1', 128, 'ipv6', 'loopback'],
  ['fc00::', 7, 'ipv6', 'private'],
  ['fe80::', 10, 'ipv6', 'link-local'],
  ['fec0::', 10, 'ipv6', 'private'],
  ['ff00::', 8, 'ipv6', 'multicast'],
];

const lists = new Map<string, BlockList>();
for (const [net, prefix, type, kind] of REFUSED) {
  if (!lists.has(kind)) lists.set(kind, new BlockList());
  lists.get(kind)!.addSubnet(net, prefix, type);
}

/** The IPv4 address inside an IPv6 one (::ffff:a.b.c.d, ::a.b.c.d, 64:ff9b::a.b.c.d), else null. */
function embeddedV4(ip: string): string | null {
  const m = /^(?:(?:0{0,4}:){0,5}(?:ffff:)?|64:ff9b::|::)((?:\d{1,3}\.){3}\d{1,3})$/i.exec(ip) ?? null;
  if (m) return m[1];
  const h = /^(?:::ffff:|::|64:ff9b::)([0-9a-f]{1,4}):([0-9a-f]{1,4})$/i.exec(ip);
  if (!h) return null;
  const hi = parseInt(h[1], 16);
  const lo = parseInt(h[2], 16);
  return `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`;
}

/** Why an address is not a public one ('loopback', 'private' …), or null for a public address. */
export function addressKind(ip: string): string | null {
  const bare = ip.replace(/^\[|\]$/g, '').replace(/%.*$/, '');
  const family = isIP(bare);
  if (!family) return 'not an address';
  if (family === 6) {
    const v4 = embeddedV4(bare);
    if (v4) return addressKind(v4);
  }
  for (const [kind, list] of lists) if (list.check(bare, family === 4 ? 'ipv4' : 'ipv6')) return kind;
  return null;
}

export interface TargetPolicy {
  allowPrivate: boolean;
  allow: BlockList;
}

export function targetPolicy(config: Pick<Config, 'webhookAllowPrivate' | 'webhookAllowCidrs'>): TargetPolicy {
  const allow = new BlockList();
  for (const cidr of config.webhookAllowCidrs) {
    const [net, bits] = cidr.split('/');
    const type = isIP(net) === 6 ? 'ipv6' : 'ipv4';
    allow.addSubnet(net, Number(bits ?? (type === 'ipv6' ? 128 : 32)), type);
  }
  return { allowPrivate: config.webhookAllowPrivate, allow };
}

/** Null when the policy lets a delivery connect to `ip`, else the reason it may not. */
export function refusal(ip: string, policy: TargetPolicy): string | null {
  const kind = addressKind(ip);
  if (!kind || policy.allowPrivate) return null;
  const bare = ip.replace(/^\[|\]$/g, '');
  const v4 = isIP(bare) === 6 ? embeddedV4(bare) : null;
  if (v4 ? policy.allow.check(v4, 'ipv4') : policy.allow.check(bare, isIP(bare) === 6 ? 'ipv6' : 'ipv4')) return null;
  return `${bare} is a ${kind} address (allow it with WEBHOOK_ALLOW_PRIVATE=1 or WEBHOOK_ALLOW_CIDRS)`;
}

export class TargetRefused extends Error {
  readonly code = 'ETARGETREFUSED';
}

/** Names that are this machine whatever DNS says. */
export const isLocalName = (host: string) => /^(localhost|localhost\.localdomain)\.?$|\.localhost\.?$/i.test(host);

/**
 * A lookup for http(s).request: resolves the name, keeps the addresses the policy allows, and hands the socket the
 * first of them; if none is allowed the connection fails with TargetRefused. Node calls it only for names, so callers
 * check literal addresses themselves (checkLiteral).
 */
export function guardedLookup(policy: TargetPolicy): LookupFunction {
  return ((hostname: string, options: any, callback: (err: Error | null, address: any, family?: number) => void) => {
    dnsLookup(hostname, { all: true, family: options?.family ?? 0 }, (err, addresses: LookupAddress[]) => {
      if (err) return callback(err, undefined as any);
      const ok = addresses.filter((a) => !refusal(a.address, policy));
      if (!ok.length) {
        const why = isLocalName(hostname) && !addresses.length ? `${hostname} is this machine` : refusal(addresses[0]!.address, policy);
        return callback(new TargetRefused(`refused: ${hostname} resolves to ${why}`), undefined as any);
      }
      if (options?.all) return callback(null, ok);
      callback(null, ok[0].address, ok[0].family);
    });
  }) as LookupFunction;
}

/** For a URL's host: a literal address is checked here (no lookup happens for it); a name is checked at connect. */
export function checkLiteral(hostname: string, policy: TargetPolicy): string | null {
  const bare = hostname.replace(/^\[|\]$/g, '');
  if (isIP(bare)) return refusal(bare, policy);
  return null;
}
