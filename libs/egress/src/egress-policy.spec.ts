import { parseEgressAllow } from '@tessera/config';
import { describe, expect, it } from 'vitest';
import { embeddedIPv4s, EgressPolicy, ipv6Groups } from './egress-policy.js';

const distributed = (allow = '') => EgressPolicy.fromConfig({ mode: 'distributed', egressAllow: parseEgressAllow(allow).entries });
const at = (address: string, port = 443, hostname = address) => ({ hostname, port, address });

describe('EgressPolicy', () => {
  const alwaysRefused = [
    '169.254.169.254',
    '169.254.0.1',
    '100.100.100.200',
    '168.63.129.16',
    '0.0.0.0',
    '0.1.2.3',
    '224.0.0.1',
    '255.255.255.255',
    'fe80::1',
    'fd00:ec2::254',
    '::',
    '::ffff:169.254.169.254',
    '::ffff:a9fe:a9fe',
    '64:ff9b::169.254.169.254',
    'ff02::1',
  ];
  const internal = [
    '127.0.0.1',
    '127.5.5.5',
    '10.0.0.8',
    '172.16.3.4',
    '172.31.255.255',
    '192.168.1.1',
    '100.64.0.1',
    '::1',
    'fd12::1',
    'fc00::2',
    '::ffff:127.0.0.1',
    '::ffff:7f00:1',
    '::ffff:10.1.1.1',
  ];

  it('refuses link-local, metadata, unspecified and multicast addresses in every mode and whatever is allowed', () => {
    const everything = distributed('0.0.0.0/0,::/0,169.254.169.254,metadata.google.internal');
    const embedded = EgressPolicy.fromConfig({ mode: 'embedded', egressAllow: [] });
    for (const address of alwaysRefused) {
      for (const policy of [everything, embedded, distributed()]) expect(policy.allows(at(address, 80, 'metadata.google.internal')), address).toBe(false);
    }
  });

  it('refuses loopback and private ranges outside embedded mode unless listed, and allows public addresses', () => {
    const embedded = EgressPolicy.fromConfig({ mode: 'embedded', egressAllow: [] });
    for (const address of internal) {
      expect(distributed().allows(at(address)), address).toBe(false);
      expect(embedded.allows(at(address)), address).toBe(true);
    }
    for (const address of ['93.184.216.34', '2606:2800:220:1::1', '172.32.0.1', '11.0.0.1']) expect(distributed().allows(at(address)), address).toBe(true);
  });

  it('lets TESSERA_EGRESS_ALLOW open hosts, host:port pairs and CIDR ranges, and nothing more', () => {
    const policy = distributed('10.1.0.0/16, 127.0.0.1:8443 idp.internal,[::1]:9000,vault.internal:8200');
    expect(policy.allows(at('10.1.200.3'))).toBe(true);
    expect(policy.allows(at('10.2.0.1'))).toBe(false);
    expect(policy.allows(at('127.0.0.1', 8443))).toBe(true);
    expect(policy.allows(at('::ffff:127.0.0.1', 8443))).toBe(true);
    expect(policy.allows(at('127.0.0.1', 5432))).toBe(false);
    expect(policy.allows(at('192.168.0.9', 443, 'idp.internal'))).toBe(true);
    expect(policy.allows(at('192.168.0.9', 443, 'IDP.internal.'))).toBe(true);
    expect(policy.allows(at('192.168.0.9', 443, 'other.internal'))).toBe(false);
    expect(policy.allows(at('::1', 9000))).toBe(true);
    expect(policy.allows(at('::1', 9001))).toBe(false);
    expect(policy.allows(at('10.9.9.9', 8200, 'vault.internal'))).toBe(true);
    expect(policy.allows(at('10.9.9.9', 8201, 'vault.internal'))).toBe(false);
  });

  it('reads IPv4 addresses written as IPv6', () => {
    expect(embeddedIPv4s('::ffff:7f00:1')).toEqual(['127.0.0.1']);
    expect(embeddedIPv4s('::FFFF:10.0.0.1')).toEqual(['10.0.0.1']);
    expect(embeddedIPv4s('2001:db8::1')).toEqual([]);
    expect(embeddedIPv4s('::1')).toEqual([]);
    expect(ipv6Groups('1::2:3.4.5.6')).toEqual([1, 0, 0, 0, 0, 2, 0x304, 0x506]);
  });

  // Each IPv4 address in every IPv6 form that carries it, hex and dotted: judged as that address.
  const hidden = (v4: string) => {
    const [a, b, c, d] = v4.split('.').map(Number);
    const hi = ((a << 8) | b).toString(16);
    const lo = ((c << 8) | d).toString(16);
    const hex = `${hi}:${lo}`;
    const x = (n: number) => n.toString(16);
    return [
      `::ffff:${v4}`,
      `::ffff:${hex}`,
      `0:0:0:0:0:ffff:${hex}`,
      `::${v4}`,
      `::${hex}`,
      `::ffff:0:${v4}`,
      `::ffff:0:${hex}`,
      `64:ff9b::${v4}`,
      `64:ff9b::${hex}`,
      `64:ff9b:1::${v4}`,
      `64:ff9b:1::${hex}`,
      // Local-use NAT64 with a /48, /56 and /64 prefix (RFC 6052: bits 64–71 stay zero).
      `64:ff9b:1:${hi}:${x(c)}:${x(d << 8)}::`,
      `64:ff9b:1:${x(a)}:${x(b)}:${lo}::`,
      `64:ff9b:1:0:${x(a)}:${x((b << 8) | c)}:${x(d << 8)}:0`,
      `2002:${hex}::`,
      `2002:${hex}:1:2:3:4:5`,
      // Teredo: the client's address is stored inverted.
      `2001:0:4136:e378:8000:63bf:${x(0xffff ^ ((a << 8) | b))}:${x(0xffff ^ ((c << 8) | d))}`,
      // Teredo with the address as its relay server (the client public: 93.184.216.34 inverted).
      `2001:0:${hex}::a247:27dd`,
    ];
  };

  it('judges every IPv6 form that embeds an IPv4 address as that address, always-refused ranges included', () => {
    const everything = distributed('0.0.0.0/0,::/0');
    const embedded = EgressPolicy.fromConfig({ mode: 'embedded', egressAllow: [] });
    for (const v4 of ['169.254.169.254', '0.0.0.0', '224.0.0.1', '100.100.100.200']) {
      for (const address of hidden(v4)) {
        for (const policy of [everything, embedded, distributed()]) expect(policy.allows(at(address)), `${address} (${v4})`).toBe(false);
      }
    }
    for (const v4 of ['127.0.0.1', '10.1.2.3', '192.168.0.9', '172.16.0.1', '100.64.0.1']) {
      for (const address of hidden(v4)) {
        expect(distributed().allows(at(address)), `${address} (${v4})`).toBe(false);
        // Embedded mode reaches its own network, but a local-use NAT64 address is judged at every position an IPv4
        // address could sit at (its prefix length is the translator's), and the other positions read as 0.x.x.x.
        if (!address.startsWith('64:ff9b:1:')) expect(embedded.allows(at(address)), `${address} (${v4})`).toBe(true);
      }
    }
    expect(distributed('127.0.0.1:8443').allows(at('64:ff9b::7f00:1', 8443))).toBe(true);
    // A public IPv4 address in the same forms stays reachable (well-known NAT64, 6to4, mapped).
    for (const address of ['::ffff:93.184.216.34', '64:ff9b::93.184.216.34', '2002:5db8:d822::1', '::ffff:0:5db8:d822']) {
      expect(distributed().allows(at(address)), address).toBe(true);
    }
    // The forms the review named, literally.
    for (const address of ['[::127.0.0.1]', '[::ffff:0:7f00:1]', '[64:ff9b:1::7f00:1]', '[2002:7f00:1::]'])
      expect(distributed().allows(at(address)), address).toBe(false);
  });
});

describe('parseEgressAllow', () => {
  it('reads every entry form and reports the ones it cannot', () => {
    const { entries, invalid } = parseEgressAllow('10.0.0.0/8,127.0.0.1:8080 localhost [::1]:9 fd00::/8 a.b.c:1 10.0.0.0/33 host:0 ::1 -bad');
    expect(entries.map((e) => (e.kind === 'host' ? `${e.host}:${e.port ?? '*'}` : `${e.address}/${e.prefix}:${e.port ?? '*'}`))).toEqual([
      '10.0.0.0/8:*',
      '127.0.0.1/32:8080',
      'localhost:*',
      '::1/128:9',
      'fd00::/8:*',
      'a.b.c:1',
      '::1/128:*',
    ]);
    expect(invalid).toEqual(['10.0.0.0/33', 'host:0', '-bad']);
  });
});
