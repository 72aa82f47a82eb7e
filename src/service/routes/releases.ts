import type { FastifyInstance } from 'fastify';
import type { ServiceContext } from '../context';
import { authenticate } from '../auth';
import { badRequest, conflict, errorSchema, notFound } from '../errors';
import { checkRelease } from '../releaseCheck';
import type { Release } from '../store';

const imageSchema = {
  type: 'object',
  properties: {
    kind: { type: 'string' },
    binFile: { type: 'string' },
    datFile: { type: 'string' },
    size: { type: 'integer' },
    type: { type: 'integer' },
    fwVersion: { type: ['integer', 'null'] },
    hwVersion: { type: ['integer', 'null'] },
    firmwareSha256: { type: 'string' },
  },
} as const;

export const releaseSchema = {
  type: 'object',
  required: ['id', 'name', 'state', 'images'],
  properties: {
    id: { type: 'string', description: 'SHA-256 of the release zip' },
    name: { type: 'string' },
    state: { type: 'string', enum: ['draft', 'approved', 'revoked'] },
    images: { type: 'array', items: imageSchema },
    createdAt: { type: 'string' },
  },
} as const;

const errors = { 400: errorSchema, 401: errorSchema, 403: errorSchema, 404: errorSchema, 409: errorSchema, 413: errorSchema, 429: errorSchema };
const RELEASE_ID = { type: 'object', required: ['id'], properties: { id: { type: 'string', pattern: '^[0-9a-f]{64}$' } } } as const;

export function releaseRoutes(app: FastifyInstance, ctx: ServiceContext): void {
  const { store } = ctx;

  app.post<{ Querystring: { name: string }; Body: Buffer }>(
    '/v1/releases',
    {
      schema: {
        summary: 'Upload a release (an unsigned or any-key DFU package zip); it starts as a draft',
        tags: ['releases'],
        querystring: { type: 'object', required: ['name'], properties: { name: { type: 'string', minLength: 1, maxLength: 128 } } },
        response: { 200: releaseSchema, 201: releaseSchema, ...errors },
      },
    },
    async (request, reply) => {
      await authenticate(store, request, ['release']);
      if (!Buffer.isBuffer(request.body) || request.body.length === 0) throw badRequest('send the package zip as the body, Content-Type: application/zip');
      const { images } = await checkRelease(request.body, request.query.name);
      const { release, created } = await store.addRelease(request.body, request.query.name, images);
      return reply.code(created ? 201 : 200).send(release);
    },
  );

  app.get('/v1/releases', { schema: { summary: 'List releases (field tokens see approved ones only)', tags: ['releases'], response: { 200: { type: 'array', items: releaseSchema }, ...errors } } }, async (request) => {
    const token = await authenticate(store, request, ['release', 'field']);
    const all = await store.releases();
    return token.role === 'field' ? all.filter((r) => r.state === 'approved') : all;
  });

  const transition = (action: 'approve' | 'revoke', next: Release['state']) =>
    app.post<{ Params: { id: string } }>(
      `/v1/releases/:id/${action}`,
      { schema: { summary: `${action === 'approve' ? 'Approve' : 'Revoke'} a release`, tags: ['releases'], params: RELEASE_ID, response: { 200: releaseSchema, ...errors } } },
      async (request) => {
        await authenticate(store, request, ['release']);
        const release = await store.release(request.params.id);
        if (!release) throw notFound(`no release ${request.params.id}`);
        if (action === 'approve' && release.state === 'revoked') throw conflict(`release ${release.id} was revoked and revocation is final`);
        const updated = await store.setReleaseState(release.id, next);
        if (next === 'revoked') ctx.packages.dropRelease(release.id);
        return updated;
      },
    );
  transition('approve', 'approved');
  transition('revoke', 'revoked');
}
