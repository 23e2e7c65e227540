/**
 * Which addresses media downloads may connect to (decision P12): public ones only, unless the
 * host or the address is allow-listed (`allowed_download_hosts`). Applied to the address actually
 * connected — a host name is checked on each address it resolves to, and the socket's remote
 * address once connected — so every spelling of an IP (`0x7f000001`, `2130706433`,
 * `[::ffff:127.0.0.1]`), a public-looking name resolving to a private address, and each redirect
 * hop meet the same check.
 */
import { lookup as dnsLookup } from 'node:dns';
import type { LookupAddress, LookupOptions } from 'node:dns';
import { BlockList, isIP } from 'node:net';

type Family = 'ipv4' | 'ipv6';

/** Address ranges that are not the public internet, by what they are (IANA special-purpose registries). */
const NON_PUBLIC: readonly (readonly [what: string, ranges: readonly (readonly [string, number, Family])[]])[] = [
  ['a loopback address', [['127.0.0.0', 8, 'ipv4'], ['::1', 128, 'ipv6']]],
  ['an unspecified address', [['0.0.0.0', 8, 'ipv4'], ['::', 128, 'ipv6']]],
  ['a private-network address', [['10.0.0.0', 8, 'ipv4'], ['172.16.0.0', 12, 'ipv4'], ['192.168.0.0', 16, 'ipv4'], ['fc00::', 7, 'ipv6']]],
  ['a shared (CGNAT) address', [['100.64.0.0', 10, 'ipv4']]],
  ['a link-local address', [['169.254.0.0', 16, 'ipv4'], ['fe80::', 10, 'ipv6'], ['fec0::', 10, 'ipv6']]],
  ['a multicast or broadcast address', [['224.0.0.0', 4, 'ipv4'], ['255.255.255.255', 32, 'ipv4'], ['ff00::', 8, 'ipv6']]],
  ['a documentation or benchmarking address', [
    ['192.0.2.0', 24, 'ipv4'], ['198.51.100.0', 24, 'ipv4'], ['203.0.113.0', 24, 'ipv4'], ['198.18.0.0', 15, 'ipv4'],
    ['2001:db8::', 32, 'ipv6'], ['3fff::', 20, 'ipv6'],
  ]],
  ['a reserved or protocol address', [
    ['192.0.0.0', 24, 'ipv4'], ['192.88.99.0', 24, 'ipv4'], ['240.0.0.0', 4, 'ipv4'],
    ['100::', 64, 'ipv6'], ['2001::', 23, 'ipv6'], ['2002::', 16, 'ipv6'], ['64:ff9b::', 96, 'ipv6'], ['64:ff9b:1::', 48, 'ipv6'],
  ]],
];

const CATEGORIES: readonly (readonly [string, BlockList])[] = NON_PUBLIC.map(([what, ranges]) => {
  const list = new BlockList();
  for (const [address, prefix, family] of ranges) list.addSubnet(address, prefix, family);
  return [what, list] as const;
});

/** A download refused because of where it would connect; the message is a sentence for the bot. */
export class RefusedAddress extends Error {
  readonly code = 'ERR_DOWNLOAD_ADDRESS_REFUSED';
}

const CIDR = /^(.+)\/(\d{1,3})$/;

/**
 * The problem with one `allowed_download_hosts` entry — a host name, an IP address or a CIDR range
 * (`127.0.0.1`, `10.0.0.0/8`, `fd00::/8`, `media.local`) — or `undefined` when it is fine.
 */
export function allowEntryProblem(entry: string): string | undefined {
  const cidr = CIDR.exec(entry);
  if (cidr !== null) {
    const family = isIP(cidr[1] as string);
    const prefix = Number(cidr[2]);
    if (family === 0) return `"${entry}": the range's address is not an IP address`;
    if (prefix > (family === 4 ? 32 : 128)) return `"${entry}": the prefix length is too long for an IPv${family} range`;
    return undefined;
  }
  if (isIP(entry) !== 0) return undefined;
  return /^[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*\.?$/.test(entry)
    ? undefined
    : `"${entry}" is neither a host name, an IP address nor a CIDR range`;
}

/** Which hosts and addresses downloads may connect to. */
export class DownloadAddressPolicy {
  readonly #hosts = new Set<string>();
  readonly #ranges = new BlockList();

  /** @param allow `allowed_download_hosts` entries; throws `RangeError` for a malformed one. */
  constructor(allow: readonly string[] = []) {
    for (const entry of allow) {
      const problem = allowEntryProblem(entry);
      if (problem !== undefined) throw new RangeError(`allowedDownloadHosts: ${problem}`);
      const cidr = CIDR.exec(entry);
      if (cidr !== null) {
        const address = cidr[1] as string;
        this.#ranges.addSubnet(address, Number(cidr[2]), isIP(address) === 4 ? 'ipv4' : 'ipv6');
      } else if (isIP(entry) !== 0) {
        this.#ranges.addAddress(entry, isIP(entry) === 4 ? 'ipv4' : 'ipv6');
      } else {
        this.#hosts.add(normaliseHost(entry));
      }
    }
  }

  /** Why connecting to `address` for `host` is refused, or `undefined` when it is allowed. */
  refusal(host: string, address: string): string | undefined {
    const family = isIP(address);
    if (family === 0) return `${address} is not an IP address`;
    if (this.#hosts.has(normaliseHost(host))) return undefined;
    const type: Family = family === 4 ? 'ipv4' : 'ipv6';
    if (this.#ranges.check(address, type)) return undefined;
    for (const [what, list] of CATEGORIES) {
      if (list.check(address, type)) {
        const named = normaliseHost(host) === address.toLowerCase() ? address : `${host} (${address})`;
        return `${named} is ${what}, and downloads from non-public addresses are refused (allow it with allowed_download_hosts)`;
      }
    }
    return undefined;
  }

  /** Throws {@link RefusedAddress} when `host` is an IP literal that may not be connected to. */
  checkLiteral(host: string): void {
    const bare = normaliseHost(host);
    if (isIP(bare) === 0) return;
    const refused = this.refusal(bare, bare);
    if (refused !== undefined) throw new RefusedAddress(refused);
  }

  /**
   * A `lookup` for `http.request` that resolves as `dns.lookup` does, then keeps only the addresses
   * this policy allows (failing with {@link RefusedAddress} when none is left).
   */
  readonly lookup = (hostname: string, options: LookupOptions, callback: LookupCallback): void => {
    dnsLookup(hostname, { ...options, all: true }, (err, addresses) => {
      if (err !== null) return callback(err, options.all === true ? [] : '', 4);
      const allowed = addresses.filter((a) => this.refusal(hostname, a.address) === undefined);
      const first = allowed[0];
      if (first === undefined) {
        const shown = addresses[0] === undefined ? 'no address' : this.refusal(hostname, addresses[0].address) ?? '';
        return callback(new RefusedAddress(shown), options.all === true ? [] : '', 4);
      }
      if (options.all === true) callback(null, allowed);
      else callback(null, first.address, first.family);
    });
  };
}

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/** Lowercase, without IPv6 brackets or a trailing dot. */
function normaliseHost(host: string): string {
  const bare = host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
  return bare.toLowerCase().replace(/\.$/, '');
}
