import type { Device, Role, TokenRecord } from './store';

/** A scope entry: a device id, `group:NAME`, or `*` (every device). */
export function inScope(scope: readonly string[], device: Device | { id: string; group: string | null }): boolean {
  return scope.some((s) => s === '*' || s === device.id || (device.group !== null && s === `group:${device.group}`));
}

/** Which roles may call a route: admin may do what release may; field only fetches for devices. */
export function roleAllows(token: TokenRecord, allowed: readonly Role[]): boolean {
  return allowed.includes(token.role) || (token.role === 'admin' && allowed.includes('release'));
}

export function isExpired(token: TokenRecord, now = new Date()): boolean {
  return token.expiresAt !== null && Date.parse(token.expiresAt) <= now.getTime();
}
