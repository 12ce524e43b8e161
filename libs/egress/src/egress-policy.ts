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

/** An IPv4 address written as IPv6 (`::ffff:127.0.0.1`, NAT64 `64:ff9b::a9fe:a9fe`) is judged as the IPv4 address it reaches. */
export function embeddedIPv4(address: string): string | undefined {
  const lower = address.toLowerCase();
  const dotted = /^(?:::ffff:|64:ff9b::)(\d+\.\d+\.\d+\.\d+)$/.exec(lower);
  if (dotted) return dotted[1];
  const hex = /^(?:::ffff:|64:ff9b::)([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(lower);
  if (!hex) return undefined;
  const [high, low] = [parseInt(hex[1], 16), parseInt(hex[2], 16)];
  return [high >> 8, high & 255, low >> 8, low & 255].join('.');
}

export interface Destination {
  /** The host name as the URL gives it (lower case, no brackets). */
  hostname: string;
  port: number;
  /** The address the connection goes to: resolved from hostname, or hostname itself when it is a literal. */
  address: string;
}

export type EgressRefusal = 'never' | 'internal';

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
    return this.refusal(destination) === undefined;
  }

  /**
   * Why a destination is refused, or undefined when it is allowed: `never` (no setting opens it) or `internal` (a
   * private or loopback address TESSERA_EGRESS_ALLOW could list), so a refusal can name the fix when there is one.
   */
  refusal(destination: Destination): EgressRefusal | undefined {
    const raw = destination.address.replace(/^\[|\]$/g, '').replace(/%.*$/, '');
    const address = embeddedIPv4(raw) ?? raw;
    const type = isIP(address) === 6 ? 'ipv6' : isIP(address) === 4 ? 'ipv4' : undefined;
    if (!type || ALWAYS_REFUSED.check(address, type)) return 'never';
    if (!INTERNAL.check(address, type) || this.internalAllowed) return undefined;
    const hostname = destination.hostname.toLowerCase().replace(/\.$/, '');
    const listed = this.allowed.some(
      ({ entry, list }) =>
        (entry.port === undefined || entry.port === destination.port) && (entry.kind === 'host' ? entry.host === hostname : list!.check(address, type)),
    );
    return listed ? undefined : 'internal';
  }
}
