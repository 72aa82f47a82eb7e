import type { FastifyInstance } from 'fastify';
import type { ServiceContext } from '../context';
import { AUDIT_PAGE_DEFAULT, AUDIT_PAGE_MAX, auditPage } from '../audit';
import { authenticate } from '../auth';
import { errorSchema, unavailable } from '../errors';

export function healthRoutes(app: FastifyInstance, ctx: ServiceContext): void {
  app.get('/healthz', { schema: { summary: 'The process is up', tags: ['health'], response: { 200: { type: 'object', properties: { status: { type: 'string' } } } } } }, async () => ({ status: 'ok' }));

  app.get(
    '/readyz',
    { schema: { summary: 'The database answers and the key source is reachable', tags: ['health'], response: { 200: { type: 'object', properties: { status: { type: 'string' }, devices: { type: 'integer' } } }, 503: errorSchema } } },
    async () => {
      try {
        await ctx.store.ping();
      } catch (e) {
        throw unavailable(`database: ${(e as Error).message}`);
      }
      const reachable = await ctx.keys.reachable();
      if (reachable !== true) throw unavailable(`key source: ${reachable}`);
      return { status: 'ready', devices: await ctx.store.deviceCount() };
    },
  );

  app.get<{ Querystring: { device?: string; release?: string; limit?: number; after?: number } }>(
    '/v1/audit',
    {
      schema: {
        summary: 'Audit records (admin), oldest first, a page at a time: pass `next` as `after` for the next page',
        tags: ['audit'],
        querystring: {
          type: 'object',
          properties: {
            device: { type: 'string' },
            release: { type: 'string' },
            limit: { type: 'integer', minimum: 1, maximum: AUDIT_PAGE_MAX, default: AUDIT_PAGE_DEFAULT },
            after: { type: 'integer', minimum: 0, default: 0, description: 'Records after this sequence number' },
          },
        },
        response: {
          200: {
            type: 'object',
            required: ['records', 'next'],
            properties: { records: { type: 'array', items: { type: 'object', additionalProperties: true } }, next: { type: ['integer', 'null'] } },
          },
          400: errorSchema,
          401: errorSchema,
          403: errorSchema,
          503: errorSchema,
        },
      },
    },
    async (request) => {
      await authenticate(ctx.store, request, ['admin']);
      return auditPage(ctx.store, request.query);
    },
  );
}
