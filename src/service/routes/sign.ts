import { createHash } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { equalBytes, reversed } from '../../core/bytes';
import { decodeInitPacket, encodeInitCommand, encodeInitPacket, ValidationType } from '../../core/initPacket';
import { initCommandLimitProblems } from '../../core/bootloaderLimits';
import { toLittleEndianHalves, verifyP256 } from '../../core/signature';
import type { ServiceContext } from '../context';
import { badRequest, errorSchema, forbidden } from '../errors';
import { deviceFor } from './devices';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

/**
 * Two-phase signing for clients that build the init packet themselves: the service signs
 * an init command only when its firmware hash, type and versions are those of an image of
 * an approved release, and its hw_version is the device's. It is never a signing oracle
 * for firmware nobody approved; every refusal is audited like any other.
 */
export function signRoutes(app: FastifyInstance, ctx: ServiceContext): void {
  app.post<{ Params: { device: string }; Body: { initPacket: string } }>(
    '/v1/devices/:device/sign',
    {
      schema: {
        summary: "Sign an init packet's InitCommand with the device's key, if it is an approved release's",
        tags: ['devices'],
        params: { type: 'object', required: ['device'], properties: { device: { type: 'string', maxLength: 1024 } } },
        body: {
          type: 'object',
          required: ['initPacket'],
          additionalProperties: false,
          properties: { initPacket: { type: 'string', maxLength: 4096, description: 'The unsigned init packet (.dat), base64' } },
        },
        response: {
          200: {
            type: 'object',
            properties: {
              release: { type: 'string' },
              signature: { type: 'string', description: 'ECDSA P-256 r‖s over SHA-256(InitCommand), big-endian hex' },
              initPacket: { type: 'string', description: 'The signed init packet (.dat), base64' },
            },
          },
          400: errorSchema,
          401: errorSchema,
          403: errorSchema,
          404: errorSchema,
          429: errorSchema,
          503: errorSchema,
        },
      },
    },
    async (request) => {
      const device = await deviceFor(ctx, request, ['field']);
      const dat = Buffer.from(request.body.initPacket, 'base64');
      request.auditInfo.requestSha256 = createHash('sha256').update(dat).digest('hex');
      let init;
      try {
        ({ init } = decodeInitPacket(dat, 'initPacket'));
      } catch (e) {
        throw badRequest(`initPacket: ${(e as Error).message}`);
      }
      const limits = initCommandLimitProblems(init);
      if (limits.length) throw badRequest(`initPacket has ${limits[0]}`);
      if (init.bootValidation.some((bv) => bv.type === ValidationType.VALIDATE_ECDSA_P256_SHA256))
        throw badRequest('initPacket asks for an ECDSA boot validation, which is a signature over the firmware: fetch the package instead');
      const message = encodeInitCommand(init);
      request.auditInfo.requestSha256 = createHash('sha256').update(message).digest('hex');
      const firmwareSha256 = hex(reversed(init.hash));
      const release = (await ctx.store.releases())
        .find((r) => r.state === 'approved' && r.images.some((i) => i.firmwareSha256 === firmwareSha256 && i.type === init.type && i.fwVersion === init.fwVersion && i.hwVersion === init.hwVersion));
      if (!release) throw forbidden('no approved release has this firmware (hash, type, versions): nothing signed');
      request.auditInfo.release = release.id;
      if (device.hwVersion !== null && device.hwVersion !== init.hwVersion) throw forbidden(`device ${device.id} is hw_version ${device.hwVersion}, the init packet says ${init.hwVersion}: nothing signed`);
      const { signature, publicKey } = await ctx.metrics.timeSigning('init-command', () =>
        ctx.keys.withSigningKey(device.id, async (key) => ({ signature: await key.sign(message), publicKey: await key.publicKey() })),
      );
      if (!verifyP256(publicKey, message, signature)) throw new Error('the key made a signature its public key does not verify');
      const signed = encodeInitPacket(init, toLittleEndianHalves(signature));
      if (!equalBytes(decodeInitPacket(signed, 'signed').initBytes, message)) throw new Error('re-encoding changed the InitCommand');
      request.auditInfo.packageSha256 = createHash('sha256').update(signed).digest('hex');
      request.auditInfo.result = 'signed init command';
      return { release: release.id, signature: hex(signature), initPacket: Buffer.from(signed).toString('base64') };
    },
  );
}
