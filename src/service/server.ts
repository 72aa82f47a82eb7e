import Fastify, { FastifyError, FastifyInstance } from 'fastify';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import { createHash } from 'node:crypto';
import { NrfutilError, UsageError } from '../core/errors';
import { AuditQueue } from './auditQueue';
import { bearer } from './auth';
import type { ServiceContext } from './context';
import { HttpError } from './errors';
import type { KeySource } from './keySource';
import type { HttpsOptions } from './tls';
import { PackageCacheOptions, SignedPackageCache } from './packageCache';
import { deviceRoutes } from './routes/devices';
import { healthRoutes } from './routes/health';
import { releaseRoutes } from './routes/releases';
import { signRoutes } from './routes/sign';
import { ServiceMetrics } from './metrics';
import type { ServiceStore } from './store';

export interface ServerOptions {
  store: ServiceStore;
  keys: KeySource;
  /** Largest request body (a release upload), bytes. */
  bodyLimit?: number;
  /** Requests per token (or per client address without one) per minute. */
  rateLimit?: number;
  /** Time to receive a whole request (headers and body), ms. */
  requestTimeoutMs?: number;
  /** A connection silent this long (no bytes either way) is closed, ms. */
  connectionTimeoutMs?: number;
  /** Serve HTTPS (and with `ca`, require client certificates): see tls.ts. */
  https?: HttpsOptions;
  /** Signed packages kept per (device, release); see packageCache.ts. */
  packageCache?: PackageCacheOptions;
  logger?: boolean;
}

export const DEFAULT_BODY_LIMIT = 16 * 1024 * 1024;
export const DEFAULT_RATE_LIMIT = 1200;
/** A 16 MiB upload at 1 MB/s fits; a client that stalls is dropped. */
export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;
export const DEFAULT_CONNECTION_TIMEOUT_MS = 60_000;

/** Fastify's own error codes → our `error` names. */
function describe(err: FastifyError): { status: number; error: string; message: string } {
  if (err instanceof HttpError) return { status: err.statusCode, error: err.error, message: err.message };
  if (err instanceof UsageError) return { status: 400, error: 'bad_request', message: err.message };
  // provider details (paths, module names, token labels) stay in the service log, not in answers to field clients
  if (err instanceof NrfutilError) return { status: 503, error: 'key_unavailable', message: "the device's key is unavailable (details in the service log)" };
  if (err.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return { status: 413, error: 'payload_too_large', message: err.message };
  if (err.statusCode === 429) return { status: 429, error: 'rate_limited', message: err.message };
  if (err.validation) return { status: 400, error: 'bad_request', message: err.message };
  if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500) return { status: err.statusCode, error: 'bad_request', message: err.message };
  return { status: 500, error: 'internal', message: 'internal error (see the service log)' };
}

/**
 * The signing service: routes with JSON schemas (served as OpenAPI at /openapi.json),
 * bearer-token auth, per-token rate limits, and an audit record for every response of a
 * device route (signatures and refusals alike), written before the response leaves.
 */
export async function buildServer(options: ServerOptions): Promise<FastifyInstance> {
  // Node only enforces requestTimeout on a stalled body when the server is created with it (and
  // headersTimeout <= it); Fastify sets it afterwards, so it goes in here too. Checked every second
  // (Node's default, 30 s, would let a 30 s timeout run to 60 s).
  const requestTimeout = options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
  const nodeTimeouts = { requestTimeout, headersTimeout: Math.min(requestTimeout, 60_000), connectionsCheckingInterval: 1000 };
  // With `https` Fastify's instance is typed for an https.Server; the routes use only what both share.
  const app = Fastify({
    logger: options.logger ?? false,
    bodyLimit: options.bodyLimit ?? DEFAULT_BODY_LIMIT,
    requestTimeout,
    connectionTimeout: options.connectionTimeoutMs ?? DEFAULT_CONNECTION_TIMEOUT_MS,
    http: nodeTimeouts,
    ...(options.https ? { https: { ...options.https, ...nodeTimeouts } } : {}),
    // ids may be up to 128 characters; longer ones must reach the handler to get a clear 400
    routerOptions: { maxParamLength: 1024 },
  }) as unknown as FastifyInstance;
  const ctx: ServiceContext = { store: options.store, keys: options.keys, plans: new Map(), metrics: new ServiceMetrics(), packages: new SignedPackageCache(options.packageCache) };

  const audit = new AuditQueue(ctx.store);
  app.decorateRequest('auditInfo', null as never);
  app.addHook('onRequest', async (request) => {
    request.auditInfo = { tokenId: null, device: null, release: null, requestSha256: null, packageSha256: null, result: null };
  });
  app.addContentTypeParser(['application/zip', 'application/octet-stream'], { parseAs: 'buffer' }, (_req, body, done) => done(null, body));

  app.setErrorHandler((err: FastifyError, request, reply) => {
    const { status, error, message } = describe(err);
    if (status >= 500) request.log.error({ err: (err as { detail?: string }).detail ?? err.message }, 'request failed');
    if (request.auditInfo) request.auditInfo.result = `refused: ${error}`;
    return reply.code(status).send({ error, message });
  });
  app.setNotFoundHandler((request, reply) => reply.code(404).send({ error: 'not_found', message: `no route ${request.method} ${request.url.split('?')[0]}` }));

  // Every answer of a device route is an audit record: signatures and refusals (401, 403, 404, 429 …).
  app.addHook('onSend', async (request, reply, payload) => {
    if (!request.routeOptions.url?.startsWith('/v1/devices/') || !request.auditInfo) return payload;
    const info = request.auditInfo;
    const audited = audit.append({
      tokenId: info.tokenId,
      device: info.device ?? (request.params as { device?: string }).device?.slice(0, 200) ?? null,
      release: info.release ?? (request.params as { release?: string }).release?.slice(0, 200) ?? null,
      requestSha256: info.requestSha256,
      packageSha256: reply.statusCode < 300 ? info.packageSha256 : null,
      result: reply.statusCode < 300 ? (info.result ?? 'ok') : (info.result ?? `refused: ${reply.statusCode}`),
      status: reply.statusCode,
      client: request.ip,
    });
    try {
      await audited;
    } catch (e) {
      // no record, nothing served: a signature leaves only with its audit record (a refusal keeps its status)
      request.log.error({ err: (e as { detail?: string }).detail ?? (e as Error).message }, 'audit record not written');
      if (reply.statusCode >= 300) return payload;
      reply.code(503).type('application/json; charset=utf-8');
      // the package's own headers (a streamed zip sets its length) must not describe this answer
      for (const header of ['content-disposition', 'content-length', 'x-package-sha256', 'x-content-sha256']) reply.removeHeader(header);
      return JSON.stringify({ error: 'unavailable', message: 'the audit record could not be written, so nothing was served (details in the service log)' });
    }
    return payload;
  });

  await app.register(swagger, {
    openapi: {
      info: { title: 'nrfutil-ts signing service', version: '1' },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      security: [{ bearer: [] }],
    },
  });
  await app.register(rateLimit, {
    max: options.rateLimit ?? DEFAULT_RATE_LIMIT,
    timeWindow: 60_000,
    // per token (by its hash: the secret itself is never a map key that could be dumped), else per address
    keyGenerator: (request) => {
      const token = bearer(request);
      return token ? `t:${createHash('sha256').update(token).digest('hex')}` : `a:${request.ip}`;
    },
    errorResponseBuilder: (_request, context) => ({ statusCode: 429, error: 'rate_limited', message: `rate limit of ${context.max} requests per minute reached; retry in ${context.after}` }),
  });

  healthRoutes(app, ctx);
  releaseRoutes(app, ctx);
  deviceRoutes(app, ctx);
  signRoutes(app, ctx);
  app.addHook('onResponse', async (request, reply) => {
    ctx.metrics.requests.inc({ method: request.method, route: request.routeOptions.url ?? 'unmatched', status: reply.statusCode });
  });
  app.get('/metrics', { schema: { summary: 'Prometheus metrics', tags: ['health'] } }, async (_request, reply) =>
    reply.type(ctx.metrics.registry.contentType).send(await ctx.metrics.registry.metrics()),
  );
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  return app;
}
