import { ValidatorConstraint, type ValidatorConstraintInterface } from 'class-validator';
import { isIP } from 'node:net';

/** An IPv4/IPv6 address, or one with a prefix length (CIDR). */
export function isAddressOrCidr(entry: string): boolean {
  const [address, prefix, ...rest] = entry.split('/');
  const family = isIP(address);
  if (!family || rest.length) return false;
  if (prefix === undefined) return true;
  return /^\d{1,3}$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128);
}

export function parseAddressList(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
}

/** Validates a comma-separated list of addresses and CIDRs (TESSERA_TRUSTED_PROXIES). */
@ValidatorConstraint({ name: 'addressList' })
export class AddressList implements ValidatorConstraintInterface {
  validate(value: unknown): boolean {
    return typeof value === 'string' && parseAddressList(value).length > 0 && parseAddressList(value).every(isAddressOrCidr);
  }
}
