import type { FastifyRequest } from 'fastify';
import type { Role, ServiceStore, TokenRecord } from './store';
import { forbidden, unauthorized } from './errors';
import { isExpired, roleAllows } from './scope';

/** The bearer token of a request, if it sent one. Never logged or stored as is. */
export function bearer(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  return match?.[1];
}

/**
 * The token behind a request: 401 when missing, unknown, revoked or expired (one message
 * for all, so a caller learns nothing about other tokens), 403 when its role may not
 * call this route.
 */
export async function authenticate(store: ServiceStore, request: FastifyRequest, roles: readonly Role[]): Promise<TokenRecord> {
  const secret = bearer(request);
  if (secret === undefined) throw unauthorized('send a token: Authorization: Bearer TOKEN');
  const token = await store.tokenBySecret(secret);
  if (!token || token.revokedAt !== null || isExpired(token)) throw unauthorized('the token is unknown, revoked or expired');
  request.auditInfo.tokenId = token.id;
  if (!roleAllows(token, roles)) throw forbidden(`a ${token.role} token may not do this (needs ${roles.join(' or ')})`);
  return token;
}
