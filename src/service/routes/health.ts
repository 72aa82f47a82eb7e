import type { FastifyInstance } from 'fastify';
import type { ServiceContext } from '../context';
import { auditRecords } from '../audit';
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

  app.get<{ Querystring: { device?: string; release?: string } }>(
    '/v1/audit',
    {
      schema: {
        summary: 'Audit records (admin)',
        tags: ['audit'],
        querystring: { type: 'object', properties: { device: { type: 'string' }, release: { type: 'string' } } },
        response: { 200: { type: 'array', items: { type: 'object', additionalProperties: true } }, 401: errorSchema, 403: errorSchema },
      },
    },
    async (request) => {
      await authenticate(ctx.store, request, ['admin']);
      return auditRecords(ctx.store, request.query);
    },
  );
}
