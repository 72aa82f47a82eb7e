import { Readable } from 'node:stream';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { checkDeviceId } from '../../core/deviceId';
import { publicKeyCode, publicKeyHex, publicKeyPem } from '../../core/keyEncoding';
import { readPackageForSigning, signAndVerify } from '../../core/resignPackage';
import type { PackagePlan } from '../../core/dfuPackage';
import { packageOf, SignedPackage } from '../packageCache';
import type { ServiceContext } from '../context';
import { authenticate } from '../auth';
import { badRequest, errorSchema, forbidden, notFound } from '../errors';
import { inScope } from '../scope';
import { sha256Hex, type Device, type Release, type Role } from '../store';

const errors = { 400: errorSchema, 401: errorSchema, 403: errorSchema, 404: errorSchema, 413: errorSchema, 429: errorSchema, 503: errorSchema };
const deviceParam = { type: 'string', maxLength: 1024, description: 'Device id (letters, digits, _ - . :, at most 128)' } as const;
const releaseParam = { type: 'string', maxLength: 1024, description: 'Release id (SHA-256 of the release zip)' } as const;

type DeviceRequest = FastifyRequest<{ Params: { device: string; release?: string } }>;

/**
 * The checks every device route makes, in this order: a token (401), a well-formed
 * device id (400, before anything reaches a key provider), the role (403), the device
 * in the token's scope (403; scope is checked before existence so a token learns
 * nothing about devices outside it), the device known (404).
 */
export async function deviceFor(ctx: ServiceContext, request: FastifyRequest, roles: Role[]): Promise<Device> {
  const id = (request.params as { device: string }).device;
  request.auditInfo.device = id.slice(0, 200);
  const token = await authenticate(ctx.store, request, roles);
  try {
    checkDeviceId(id);
  } catch (e) {
    throw badRequest((e as Error).message);
  }
  const device = await ctx.store.device(id);
  if (!inScope(token.scope, device ?? { id, group: null })) throw forbidden(`device ${id} is outside this token's scope`);
  if (!device) throw notFound(`no device ${id}; import it with 'nrfutil-ts serve devices import'`);
  return device;
}

/** Only approved releases are served: drafts, revoked and unknown ones are all 404. */
async function approvedRelease(ctx: ServiceContext, request: DeviceRequest): Promise<Release> {
  const id = request.params.release!;
  request.auditInfo.release = id.slice(0, 200);
  const release = /^[0-9a-f]{64}$/.test(id) ? await ctx.store.release(id) : undefined;
  if (!release || release.state !== 'approved') throw notFound(`no approved release ${id}`);
  return release;
}

function planFor(ctx: ServiceContext, release: Release): Promise<PackagePlan> {
  let plan = ctx.plans.get(release.id);
  if (!plan) {
    plan = ctx.store.releaseZip(release.id).then((zip) => readPackageForSigning(zip, `${release.name}.zip`)).then((r) => r.plan);
    plan.catch(() => ctx.plans.delete(release.id));
    ctx.plans.set(release.id, plan);
  }
  return plan;
}

/**
 * The release signed with the device's key, checked with the device's public key
 * (signAndVerify) when it is signed; repeats come from the cache (packageCache.ts).
 */
function signedPackage(ctx: ServiceContext, device: Device, release: Release): Promise<SignedPackage> {
  return ctx.packages.get(device.id, release.id, async () => {
    const plan = await planFor(ctx, release);
    const files = await ctx.metrics.timeSigning('package', () => ctx.keys.withSigningKey(device.id, (key) => signAndVerify(plan, key, `${release.name}.zip for ${device.id}`)));
    return packageOf(files);
  });
}

function pickImage(release: Release, image: string | undefined) {
  const images = image === undefined ? release.images : release.images.filter((i) => i.kind === image);
  if (images.length === 1) return images[0];
  if (image === undefined) throw badRequest(`release ${release.name} holds ${release.images.map((i) => i.kind).join(', ')}: choose one with ?image=KIND`);
  throw notFound(`release ${release.name} holds no ${image} image`);
}

export function deviceRoutes(app: FastifyInstance, ctx: ServiceContext): void {
  const params = { type: 'object', required: ['device', 'release'], properties: { device: deviceParam, release: releaseParam } } as const;
  const binary = { description: 'bytes', type: 'string', format: 'binary' } as const;

  app.get<{ Params: { device: string; release: string } }>(
    '/v1/devices/:device/releases/:release/package',
    { schema: { summary: "The release's DFU package signed with this device's key", tags: ['devices'], params, response: { 200: binary, ...errors } } },
    async (request, reply) => {
      const device = await deviceFor(ctx, request, ['field']);
      const release = await approvedRelease(ctx, request);
      const pkg = await signedPackage(ctx, device, release);
      request.auditInfo.packageSha256 = pkg.zipSha256;
      request.auditInfo.result = 'signed package';
      return reply
        .type('application/zip')
        .header('content-disposition', `attachment; filename="${device.id}-${release.name.replace(/[^\w.-]/g, '_')}.zip"`)
        .header('x-package-sha256', request.auditInfo.packageSha256)
        .header('content-length', pkg.zipSize)
        // the pieces as they are (the firmware is the release's shared buffer): no 200 KB copy per answer
        .send(Readable.from(pkg.zipChunks, { objectMode: false }));
    },
  );

  for (const part of ['init-packet', 'firmware'] as const) {
    app.get<{ Params: { device: string; release: string }; Querystring: { image?: string } }>(
      `/v1/devices/:device/releases/:release/${part}`,
      {
        schema: {
          summary: part === 'init-packet' ? "One image's init packet (.dat), signed with this device's key" : "One image's firmware (.bin)",
          tags: ['devices'],
          params,
          querystring: { type: 'object', properties: { image: { type: 'string', enum: ['application', 'bootloader', 'softdevice', 'softdevice_bootloader'] } } },
          response: { 200: binary, ...errors },
        },
      },
      async (request, reply) => {
        const device = await deviceFor(ctx, request, ['field']);
        const release = await approvedRelease(ctx, request);
        const image = pickImage(release, request.query.image);
        const { files } = await signedPackage(ctx, device, release);
        const bytes = files.get(part === 'init-packet' ? image.datFile : image.binFile)!;
        request.auditInfo.packageSha256 = sha256Hex(bytes);
        request.auditInfo.result = part === 'init-packet' ? 'signed init packet' : 'served firmware';
        return reply.type('application/octet-stream').header('x-content-sha256', request.auditInfo.packageSha256).send(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)); // a view: the bytes stay as they are
      },
    );
  }

  app.get<{ Params: { device: string }; Querystring: { format?: 'pem' | 'hex' | 'code' } }>(
    '/v1/devices/:device/public-key',
    {
      schema: {
        summary: "The device's public key (what its bootloader must trust)",
        tags: ['devices'],
        params: { type: 'object', required: ['device'], properties: { device: deviceParam } },
        querystring: { type: 'object', properties: { format: { type: 'string', enum: ['pem', 'hex', 'code'], default: 'pem' } } },
        response: { 200: { type: 'string' }, ...errors },
      },
    },
    async (request, reply) => {
      const device = await deviceFor(ctx, request, ['field', 'admin']);
      const xy = await ctx.keys.withKey(device.id, (key) => key.publicKey());
      const format = request.query.format ?? 'pem';
      request.auditInfo.result = 'public key';
      const text = format === 'pem' ? publicKeyPem(xy) : format === 'hex' ? publicKeyHex(xy) + '\n' : publicKeyCode(xy, false);
      return reply.type(format === 'pem' ? 'application/x-pem-file' : 'text/plain; charset=utf-8').send(text);
    },
  );
}
