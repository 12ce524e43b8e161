import { isIP } from 'node:net';

/** One entry of TESSERA_EGRESS_ALLOW: a host name, an address or a CIDR range, optionally with a port. */
export type EgressAllowEntry = { kind: 'host'; host: string; port?: number } | { kind: 'range'; address: string; prefix: number; family: 4 | 6; port?: number };

const HOST = /^(?=.{1,253}$)[a-z0-9_]([a-z0-9_-]{0,62})(\.[a-z0-9_]([a-z0-9_-]{0,62}))*$/;

function port(text: string | undefined): number | undefined | null {
  if (text === undefined) return undefined;
  const value = Number(text);
  return /^\d{1,5}$/.test(text) && value >= 1 && value <= 65535 ? value : null;
}

/** Parses one entry; null when it is none of `host`, `host:port`, `address`, `address:port`, `[v6]:port`, `cidr`. */
export function parseEgressAllowEntry(raw: string): EgressAllowEntry | null {
  const text = raw.trim().toLowerCase();
  const cidr = /^([^/]+)\/(\d{1,3})$/.exec(text);
  if (cidr) {
    const family = isIP(cidr[1]);
    const prefix = Number(cidr[2]);
    if (!family || prefix > (family === 4 ? 32 : 128)) return null;
    return { kind: 'range', address: cidr[1], prefix, family: family as 4 | 6 };
  }
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(text);
  const [address, portText] = bracketed ? [bracketed[1], bracketed[2]] : isIP(text) ? [text, undefined] : text.split(/:(?=[^:]*$)/);
  const parsedPort = port(portText);
  if (parsedPort === null) return null;
  const family = isIP(address);
  if (family) return { kind: 'range', address, prefix: family === 4 ? 32 : 128, family: family as 4 | 6, ...(parsedPort ? { port: parsedPort } : {}) };
  if (bracketed || !HOST.test(address)) return null;
  return { kind: 'host', host: address, ...(parsedPort ? { port: parsedPort } : {}) };
}

/** The whole variable (entries separated by commas or spaces); the entries it could not read, for the config error. */
export function parseEgressAllow(value: string | undefined): { entries: EgressAllowEntry[]; invalid: string[] } {
  const parts = (value ?? '').split(/[\s,]+/).filter(Boolean);
  const entries: EgressAllowEntry[] = [];
  const invalid: string[] = [];
  for (const part of parts) {
    const entry = parseEgressAllowEntry(part);
    if (entry) entries.push(entry);
    else invalid.push(part);
  }
  return { entries, invalid };
}
