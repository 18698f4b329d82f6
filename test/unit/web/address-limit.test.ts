import { AddressBuckets, addressKey, isLoopback } from '../../../src/web/address-limit';
import { jsonDepthExceeds } from '../../../src/web/body';

describe('AddressBuckets', () => {
  it('lets perMinute through at once, then one more each 60/perMinute seconds, and says how long to wait', () => {
    let now = 0;
    const b = new AddressBuckets(6, () => now);
    for (let i = 0; i < 6; i++) expect(b.take('192.0.2.1')).toBe(0);
    expect(b.take('192.0.2.1')).toBe(10);
    expect(b.take('192.0.2.2')).toBe(0); // another address, its own bucket
    now += 9_999;
    expect(b.take('192.0.2.1')).toBe(1);
    now += 10_000;
    expect(b.take('192.0.2.1')).toBe(0);
    now -= 3_600_000; // a clock moved back refills nothing (and breaks nothing)
    expect(b.take('192.0.2.1')).toBeGreaterThan(0);
  });

  it('is off at 0', () => {
    const b = new AddressBuckets(0, () => 0);
    for (let i = 0; i < 1000; i++) expect(b.take('192.0.2.1')).toBe(0);
    expect(b.size).toBe(0);
  });

  it('remembers at most maxAddresses, forgetting the least recently seen', () => {
    const b = new AddressBuckets(1, () => 0, 3);
    for (const a of ['10.0.0.1', '10.0.0.2', '10.0.0.3']) expect(b.take(a)).toBe(0);
    expect(b.take('10.0.0.1')).toBeGreaterThan(0); // seen again: now the most recent
    expect(b.take('10.0.0.4')).toBe(0); // forgets 10.0.0.2
    expect(b.size).toBe(3);
    expect(b.take('10.0.0.2')).toBe(0); // starts full again; forgets 10.0.0.3
    expect(b.take('10.0.0.1')).toBeGreaterThan(0); // still remembered
  });
});

describe('addressKey and isLoopback', () => {
  it('keys IPv4 (also mapped) as is and IPv6 by its /64', () => {
    expect(addressKey('192.0.2.7')).toBe('192.0.2.7');
    expect(addressKey('::ffff:192.0.2.7')).toBe('192.0.2.7');
    expect(addressKey('2001:db8:0:1::5')).toBe('2001:db8:0:1::/64');
    expect(addressKey('2001:0db8:0000:0001:aaaa:bbbb:cccc:dddd')).toBe('2001:db8:0:1::/64');
    expect(addressKey('::1')).toBe('0:0:0:0::/64');
  });

  it('knows this host', () => {
    for (const a of ['127.0.0.1', '127.9.9.9', '::1', '::ffff:127.0.0.1']) expect(isLoopback(a)).toBe(true);
    for (const a of ['10.0.0.1', '::ffff:10.0.0.1', '2001:db8::1', '', undefined]) expect(isLoopback(a)).toBe(false);
  });
});

describe('jsonDepthExceeds', () => {
  it('counts nesting outside strings only', () => {
    expect(jsonDepthExceeds('[[[]]]', 3)).toBe(false);
    expect(jsonDepthExceeds('[[[[]]]]', 3)).toBe(true);
    expect(jsonDepthExceeds('{"a":{"b":{"c":1}}}', 3)).toBe(false);
    expect(jsonDepthExceeds('{"t":"[[[[[[[[\\"[[[["}', 3)).toBe(false);
    expect(jsonDepthExceeds(`${'['.repeat(65)}${']'.repeat(65)}`)).toBe(true);
    expect(jsonDepthExceeds(`${'['.repeat(64)}${']'.repeat(64)}`)).toBe(false);
  });
});
