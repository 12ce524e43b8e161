import type { EgressAllowEntry, TesseraConfig } from '@tessera/config';
import { BlockList, isIP } from 'node:net';

function blockList(ranges: [string, number][]): BlockList {
  const list = new BlockList();
  for (const [address, prefix] of ranges) list.addSubnet(address, prefix, address.includes(':') ? 'ipv6' : 'ipv4');
  return list;
}

/**
 * Never reachable, whatever the configuration: link-local (where cloud metadata services answer, with credentials),
 * the metadata addresses outside it, "this host", multicast and reserved space. An allow-list entry cannot open them.
 */
const ALWAYS_REFUSED = blockList([
  ['0.0.0.0', 8],
  ['169.254.0.0', 16],
  ['100.100.100.200', 32],
  ['168.63.129.16', 32],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
  ['::', 128],
  ['fe80::', 10],
  ['fd00:ec2::254', 128],
  ['ff00::', 8],
]);

/** Loopback and private ranges: this machine and its network, reachable in embedded mode or when TESSERA_EGRESS_ALLOW lists them. */
const INTERNAL = blockList([
  ['127.0.0.0', 8],
  ['10.0.0.0', 8],
  ['172.16.0.0', 12],
  ['192.168.0.0', 16],
  ['100.64.0.0', 10],
  ['198.18.0.0', 15],
  ['192.0.0.0', 24],
  ['::1', 128],
  ['fc00::', 7],
  ['fec0::', 10],
]);

/** The eight 16-bit groups of an IPv6 literal (`::` expanded, a dotted IPv4 tail read as two groups). */
export function ipv6Groups(address: string): number[] | undefined {
  if (isIP(address) !== 6) return undefined;
  let text = address.toLowerCase();
  const tail = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (tail) {
    const [a, b, c, d] = tail.slice(1).map(Number);
    text = `${text.slice(0, tail.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, rest] = text.split('::');
  const left = head ? head.split(':') : [];
  const right = rest === undefined ? [] : rest ? rest.split(':') : [];
  const missing = 8 - left.length - right.length;
  const groups = [...left, ...Array<string>(rest === undefined ? 0 : missing).fill('0'), ...right].map((g) => parseInt(g, 16));
  return groups.length === 8 ? groups : undefined;
}

const dotted = (high: number, low: number) => [high >> 8, high & 255, low >> 8, low & 255].join('.');
/** The 32 bits starting at bit `offset` of the address, skipping bits 64–71 (RFC 6052's reserved octet). */
function rfc6052(groups: number[], offset: number): string {
  const bytes = groups.flatMap((g) => [g >> 8, g & 255]).filter((_, i) => i !== 8);
  const start = offset / 8 - (offset > 64 ? 1 : 0);
  return bytes.slice(start, start + 4).join('.');
}

/**
 * Every IPv4 address an IPv6 literal leads to, so each is judged as the IPv4 host it reaches: IPv4-mapped
 * (`::ffff:a.b.c.d`), IPv4-compatible (`::a.b.c.d`), SIIT (`::ffff:0:a.b.c.d`), NAT64 with the well-known prefix
 * (`64:ff9b::/96`) and the local-use one (`64:ff9b:1::/48`, RFC 8215), 6to4 (`2002::/16`) and Teredo (`2001::/32`,
 * its relay server and its obfuscated client). A local-use NAT64 prefix may be any of RFC 6052's lengths inside the
 * /48 and its translator is not ours to ask, so each position the IPv4 address could sit at is returned.
 */
export function embeddedIPv4s(address: string): string[] {
  const g = ipv6Groups(address);
  if (!g) return [];
  const zero = (from: number, to: number) => g.slice(from, to).every((x) => x === 0);
  if (zero(0, 5) && g[5] === 0xffff) return [dotted(g[6], g[7])];
  if (zero(0, 4) && g[4] === 0xffff && g[5] === 0) return [dotted(g[6], g[7])];
  // `::1` is IPv6 loopback and `::` unspecified, both judged as themselves; any other `::/96` address is IPv4-compatible.
  if (zero(0, 6) && !(g[6] === 0 && g[7] <= 1)) return [dotted(g[6], g[7])];
  if (g[0] === 0x64 && g[1] === 0xff9b && zero(2, 6)) return [dotted(g[6], g[7])];
  if (g[0] === 0x64 && g[1] === 0xff9b && g[2] === 1) return [48, 56, 64, 96].map((offset) => rfc6052(g, offset));
  if (g[0] === 0x2002) return [dotted(g[1], g[2])];
  if (g[0] === 0x2001 && g[1] === 0) return [dotted(g[2], g[3]), dotted(g[6] ^ 0xffff, g[7] ^ 0xffff)];
  return [];
}

export interface Destination {
  /** The host name as the URL gives it (lower case, no brackets). */
  hostname: string;
  port: number;
  /** The address the connection goes to: resolved from hostname, or hostname itself when it is a literal. */
  address: string;
}

/**
 * Which addresses outbound calls may connect to (ADR 0015). Judged on the address actually connected to, after DNS,
 * so a name that resolves to an internal address (or is re-pointed to one between two lookups) gains nothing.
 */
export class EgressPolicy {
  private readonly allowed: { entry: EgressAllowEntry; list?: BlockList }[];

  constructor(
    private readonly internalAllowed: boolean,
    allow: EgressAllowEntry[] = [],
  ) {
    this.allowed = allow.map((entry) => ({ entry, ...(entry.kind === 'range' ? { list: blockList([[entry.address, entry.prefix]]) } : {}) }));
  }

  /** Embedded mode runs on one machine for one user: its own network is its to call. Distributed mode lists what it may call. */
  static fromConfig(config: Pick<TesseraConfig, 'mode' | 'egressAllow'>): EgressPolicy {
    return new EgressPolicy(config.mode === 'embedded', config.egressAllow);
  }

  allows(destination: Destination): boolean {
    const raw = destination.address.replace(/^\[|\]$/g, '').replace(/%.*$/, '');
    // The literal and every IPv4 address hidden in it must each pass: the strictest verdict wins.
    return [raw, ...embeddedIPv4s(raw)].every((address) => this.allowsAddress(address, destination));
  }

  private allowsAddress(address: string, destination: Destination): boolean {
    const type = isIP(address) === 6 ? 'ipv6' : isIP(address) === 4 ? 'ipv4' : undefined;
    if (!type || ALWAYS_REFUSED.check(address, type)) return false;
    if (!INTERNAL.check(address, type) || this.internalAllowed) return true;
    const hostname = destination.hostname.toLowerCase().replace(/\.$/, '');
    return this.allowed.some(
      ({ entry, list }) =>
        (entry.port === undefined || entry.port === destination.port) && (entry.kind === 'host' ? entry.host === hostname : list!.check(address, type)),
    );
  }
}
