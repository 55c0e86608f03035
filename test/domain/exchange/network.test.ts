/** Source-network allow-lists: CIDR parsing and formatting, membership, IPv4-mapped clients. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { formatCidr, ipAllowed, ipInCidr, isValidCidr, parseCidr, type Cidr } from '../../../src/domain/exchange/network.js';

const octet = fc.integer({ min: 0, max: 255 });
const ipv4Arb = fc.tuple(octet, octet, octet, octet).map((o) => o.join('.'));
const word = fc.integer({ min: 0, max: 0xffff });
/** IPv6 text in several spellings: full, compressed, with leading zeros, upper case. */
const ipv6Arb = fc
  .tuple(fc.array(word, { minLength: 8, maxLength: 8 }), fc.boolean(), fc.boolean())
  .map(([ws, pad, upper]) => {
    const t = ws.map((w) => (pad ? w.toString(16).padStart(4, '0') : w.toString(16))).join(':');
    return upper ? t.toUpperCase() : t;
  });
const sparseIpv6Arb = fc
  .array(fc.oneof(fc.constant(0), word), { minLength: 8, maxLength: 8 })
  .map((ws) => formatCidr({ version: 6, network: ws.reduce((a, w) => (a << 16n) | BigInt(w), 0n), prefix: 128 }).replace('/128', ''));
const anyIpArb = fc.oneof(ipv4Arb, ipv6Arb, sparseIpv6Arb);
const cidrArb: fc.Arbitrary<Cidr> = fc.oneof(
  fc.tuple(ipv4Arb, fc.integer({ min: 0, max: 32 })).map(([a, p]) => parseCidr(`${a}/${p}`)),
  fc.tuple(fc.oneof(ipv6Arb, sparseIpv6Arb), fc.integer({ min: 0, max: 128 })).map(([a, p]) => parseCidr(`${a}/${p}`)),
);

describe('parseCidr', () => {
  test('IPv4 networks; a bare address is a /32; host bits are cleared', () => {
    assert.deepEqual(parseCidr('10.0.0.0/8'), { version: 4, network: 0x0a000000n, prefix: 8 });
    assert.deepEqual(parseCidr('192.168.1.7'), { version: 4, network: 0xc0a80107n, prefix: 32 });
    assert.deepEqual(parseCidr('10.1.2.3/8'), parseCidr('10.0.0.0/8'));
    assert.deepEqual(parseCidr('0.0.0.0/0'), { version: 4, network: 0n, prefix: 0 });
  });

  test('IPv6: compression, a bare address is a /128, IPv4-mapped tails', () => {
    assert.deepEqual(parseCidr('::'), { version: 6, network: 0n, prefix: 128 });
    assert.deepEqual(parseCidr('::1'), { version: 6, network: 1n, prefix: 128 });
    assert.deepEqual(parseCidr('2001:db8::/32'), { version: 6, network: 0x20010db8n << 96n, prefix: 32 });
    assert.deepEqual(parseCidr('2001:DB8:0:0:0:0:0:1'), parseCidr('2001:db8::1'));
    assert.deepEqual(parseCidr('fe80::/10'), parseCidr('fe80:0000:0000:0000:0000:0000:0000:0000/10'));
    assert.deepEqual(parseCidr('::ffff:10.0.0.1'), { version: 6, network: (0xffffn << 32n) | 0x0a000001n, prefix: 128 });
    assert.deepEqual(parseCidr('1:2:3:4:5:6:1.2.3.4'), parseCidr('1:2:3:4:5:6:102:304'));
    assert.deepEqual(parseCidr('1::'), { version: 6, network: 1n << 112n, prefix: 128 });
  });

  test('refuses malformed text with a RangeError', () => {
    const bad = [
      '', '/', '10.0.0.0/', '10.0.0.0/33', '10.0.0.0/-1', '10.0.0.0/08', '10.0.0.0/8/8', '256.0.0.0', '1.2.3', '1.2.3.4.5',
      '01.2.3.4', '1.2.3.4 ', ' 1.2.3.4', 'a.b.c.d', '1..2.3', '::/129', '1::2::3', ':::', '1:2:3:4:5:6:7:8:9', '1:2:3:4:5:6:7',
      '12345::', 'g::', ':1::', '1::2:', '::1.2.3.4.5', '1.2.3.4::', 'fe80::1%eth0', '1:2:3:4:5:6:7::8', 'localhost',
    ];
    for (const b of bad) {
      assert.throws(() => parseCidr(b), RangeError, JSON.stringify(b));
      assert.equal(isValidCidr(b), false, JSON.stringify(b));
    }
    assert.equal(isValidCidr('10.0.0.0/8'), true);
    assert.equal(isValidCidr('::ffff:0:0/96'), true);
  });
});

describe('formatCidr', () => {
  test('canonical text (RFC 5952 for IPv6)', () => {
    assert.equal(formatCidr(parseCidr('10.1.2.3/8')), '10.0.0.0/8');
    assert.equal(formatCidr(parseCidr('2001:0DB8:0000:0000:0001:0000:0000:0001')), '2001:db8::1:0:0:1/128');
    assert.equal(formatCidr(parseCidr('2001:db8:0:1:1:1:1:1')), '2001:db8:0:1:1:1:1:1/128');
    assert.equal(formatCidr(parseCidr('::/0')), '::/0');
    assert.equal(formatCidr(parseCidr('::ffff:7f00:1')), '::ffff:127.0.0.1/128');
  });

  test('property: parse(format(x)) = x', () => {
    fc.assert(fc.property(cidrArb, (c) => assert.deepEqual(parseCidr(formatCidr(c)), c)));
  });
});

describe('ipInCidr', () => {
  test('examples, including IPv4-mapped clients and zones', () => {
    assert.equal(ipInCidr('10.20.30.40', parseCidr('10.0.0.0/8')), true);
    assert.equal(ipInCidr('11.0.0.1', parseCidr('10.0.0.0/8')), false);
    assert.equal(ipInCidr('::ffff:127.0.0.1', parseCidr('127.0.0.0/8')), true);
    assert.equal(ipInCidr('::FFFF:7f00:1', parseCidr('127.0.0.1')), true);
    assert.equal(ipInCidr('127.0.0.1', parseCidr('::ffff:127.0.0.0/104')), true);
    assert.equal(ipInCidr('::1', parseCidr('127.0.0.0/8')), false);
    assert.equal(ipInCidr('::7f00:1', parseCidr('127.0.0.0/8')), false, 'IPv4-compatible is not IPv4-mapped');
    assert.equal(ipInCidr('2001:db8::1', parseCidr('0.0.0.0/0')), false, 'an IPv4 range holds no native IPv6 address');
    assert.equal(ipInCidr('fe80::1%eth0', parseCidr('fe80::/10')), true);
    assert.equal(ipInCidr('not an ip', parseCidr('::/0')), false);
  });

  test('property: every address is in its own /32 or /128', () => {
    fc.assert(fc.property(anyIpArb, (ip) => assert.equal(ipInCidr(ip, parseCidr(ip)), true)));
  });

  test('property: every address of the family is in /0', () => {
    fc.assert(fc.property(ipv4Arb, (ip) => assert.equal(ipInCidr(ip, parseCidr('0.0.0.0/0')), true)));
    fc.assert(fc.property(anyIpArb, (ip) => assert.equal(ipInCidr(ip, parseCidr('::/0')), true)));
  });

  test('property: a.b.c.d is in x.y.z.0/24 iff the first three octets are equal, also as ::ffff:a.b.c.d', () => {
    fc.assert(
      fc.property(fc.array(octet, { minLength: 4, maxLength: 4 }), fc.array(octet, { minLength: 3, maxLength: 3 }), fc.boolean(), (a, n, same) => {
        const net = same ? a.slice(0, 3) : n;
        const cidr = parseCidr(`${net.join('.')}.0/24`);
        const expected = a[0] === net[0] && a[1] === net[1] && a[2] === net[2];
        assert.equal(ipInCidr(a.join('.'), cidr), expected);
        assert.equal(ipInCidr(`::ffff:${a.join('.')}`, cidr), expected);
      }),
    );
  });

  test('property: nesting — an address in a network is in every shorter prefix of it', () => {
    fc.assert(
      fc.property(anyIpArb, fc.integer({ min: 0, max: 128 }), fc.integer({ min: 0, max: 128 }), (ip, p1, p2) => {
        const bits = ip.includes(':') ? 128 : 32;
        const short = Math.min(p1, p2, bits);
        const long = Math.min(Math.max(p1, p2), bits);
        const longNet = parseCidr(`${ip}/${long}`);
        assert.equal(ipInCidr(ip, longNet), true);
        assert.equal(ipInCidr(ip, parseCidr(`${formatCidr(longNet).split('/')[0]}/${short}`)), true);
      }),
    );
  });
});

describe('ipAllowed', () => {
  test('no list or an empty list allows any network, even an unparseable address', () => {
    assert.equal(ipAllowed('203.0.113.9', undefined), true);
    assert.equal(ipAllowed('2001:db8::1', []), true);
    assert.equal(ipAllowed('garbage', undefined), true);
  });

  test('a list allows only its networks; invalid entries match nothing', () => {
    const list = ['10.0.0.0/8', '2001:db8::/32', 'not-a-cidr', '127.0.0.1'];
    assert.equal(ipAllowed('10.9.8.7', list), true);
    assert.equal(ipAllowed('::ffff:10.9.8.7', list), true);
    assert.equal(ipAllowed('::ffff:127.0.0.1', list), true);
    assert.equal(ipAllowed('2001:db8:ffff::1', list), true);
    assert.equal(ipAllowed('127.0.0.2', list), false);
    assert.equal(ipAllowed('192.168.0.1', list), false);
    assert.equal(ipAllowed('garbage', list), false);
    assert.equal(ipAllowed('1.2.3.4', ['bad', '999.0.0.0/8']), false, 'a list of only invalid entries denies all');
  });

  test('property: allowed by a list iff in one of its entries', () => {
    fc.assert(
      fc.property(anyIpArb, fc.array(cidrArb, { maxLength: 5 }), (ip, cidrs) => {
        const list = cidrs.map(formatCidr);
        const expected = list.length === 0 || cidrs.some((c) => ipInCidr(ip, c));
        assert.equal(ipAllowed(ip, list), expected);
      }),
    );
  });
});
