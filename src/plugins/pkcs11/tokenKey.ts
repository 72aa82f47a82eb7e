import { createHash } from 'node:crypto';
import * as pkcs11js from 'pkcs11js';
import { NrfutilError } from '../../core/errors';
import type { KeyProvider } from '../keyProvider';
import { ckrName, TokenSession, withSessionRetry } from './session';
import type { Pkcs11Uri } from './uri';

/** DER of the P-256 curve OID (1.2.840.10045.3.1.7), as CKA_EC_PARAMS holds it. */
export const P256_EC_PARAMS = Buffer.from('06082a8648ce3d030107', 'hex');

/** A CK_ULONG attribute (4 or 8 bytes, host order: little-endian on the machines we run on). */
const ulongOf = (bytes: Buffer) => bytes.reduceRight((value, byte) => value * 256 + byte, 0);

/** Which key objects the URI names: by label, id, or both. */
export function objectTemplate(uri: Pkcs11Uri, keyClass: number): pkcs11js.Template {
  const template: pkcs11js.Template = [{ type: pkcs11js.CKA_CLASS, value: keyClass }];
  if (uri.object !== undefined) template.push({ type: pkcs11js.CKA_LABEL, value: uri.object });
  if (uri.id !== undefined) template.push({ type: pkcs11js.CKA_ID, value: uri.id });
  return template;
}

export function describeObject(uri: Pkcs11Uri, token: string): string {
  const name = uri.object !== undefined ? `'${uri.object}'` : `with id ${uri.id!.toString('hex')}`;
  return `object ${name} on token '${token}'`;
}

function findOne(session: TokenSession, handle: pkcs11js.Handle, template: pkcs11js.Template): pkcs11js.Handle | undefined {
  const { lib } = session;
  lib.C_FindObjectsInit(handle, template);
  try {
    const found = lib.C_FindObjects(handle, 2);
    if (found.length > 1) throw new NrfutilError('the PKCS#11 URI matches more than one key; add id= or object= to choose one');
    return found[0];
  } finally {
    lib.C_FindObjectsFinal(handle);
  }
}

/**
 * CKA_EC_POINT is the uncompressed point 04‖x‖y wrapped in a DER OCTET STRING
 * (0x04 0x41 …). Some modules return the bare point; both are accepted. This two-byte
 * header is the only DER read by hand: Node's crypto has no API for a lone OCTET STRING.
 */
export function xyFromEcPoint(ecPoint: Buffer): Uint8Array {
  const point = ecPoint.length === 67 && ecPoint[0] === 0x04 && ecPoint[1] === 0x41 ? ecPoint.subarray(2) : ecPoint;
  if (point.length !== 65 || point[0] !== 0x04) throw new NrfutilError('the token returned an EC point that is not an uncompressed P-256 point');
  return Uint8Array.from(point.subarray(1));
}

/** A P-256 key inside a token: it signs there and never leaves. */
export class TokenKey implements KeyProvider {
  private constructor(
    readonly label: string,
    private readonly session: TokenSession,
    private readonly uri: Pkcs11Uri,
    private privateHandle: pkcs11js.Handle | undefined,
    /** The session the private handle was found in. */
    private foundIn: pkcs11js.Handle,
    private readonly xy: Uint8Array,
  ) {}

  /**
   * Finds the key pair the URI names on a logged-in session (public object required).
   * A lost session is logged in again once (withSessionRetry).
   */
  static async open(session: TokenSession, uri: Pkcs11Uri, label: string): Promise<TokenKey> {
    const what = describeObject(uri, session.tokenLabel);
    try {
      const { privateHandle, publicHandle, keyType, foundIn } = await withSessionRetry(session, (handle) => {
        const privateHandle = findOne(session, handle, objectTemplate(uri, pkcs11js.CKO_PRIVATE_KEY));
        const publicHandle = findOne(session, handle, objectTemplate(uri, pkcs11js.CKO_PUBLIC_KEY));
        const probe = publicHandle ?? privateHandle;
        const keyType = probe === undefined ? undefined : ulongOf(session.lib.C_GetAttributeValue(handle, probe, [{ type: pkcs11js.CKA_KEY_TYPE }])[0].value as Buffer);
        return { privateHandle, publicHandle, keyType, foundIn: handle };
      });
      if (keyType === undefined) throw new NrfutilError(`No key ${what}; check object=/id= in the URI`);
      if (keyType !== pkcs11js.CKK_EC) throw new NrfutilError(`The ${what} is not an EC key; nRF5 DFU needs a P-256 (prime256v1) key`);
      if (publicHandle === undefined) throw new NrfutilError(`The ${what} has no public key object; nrfutil-ts reads the public key from it`);
      const [params, point] = await withSessionRetry(session, (handle) => session.lib.C_GetAttributeValue(handle, publicHandle, [{ type: pkcs11js.CKA_EC_PARAMS }, { type: pkcs11js.CKA_EC_POINT }]));
      if (!(params.value as Buffer).equals(P256_EC_PARAMS)) throw new NrfutilError(`The ${what} is an EC key on another curve; nRF5 DFU needs P-256 (prime256v1)`);
      return new TokenKey(label, session, uri, privateHandle, foundIn, xyFromEcPoint(point.value as Buffer));
    } catch (e) {
      if (e instanceof NrfutilError) throw e;
      throw new NrfutilError(`PKCS#11 error reading the ${what} (${ckrName(e)})`);
    }
  }

  async publicKey(): Promise<Uint8Array> {
    return this.xy;
  }

  /** CKM_ECDSA over the SHA-256 digest: the token returns r‖s, 32 bytes each, big-endian. */
  async sign(message: Uint8Array): Promise<Uint8Array> {
    if (this.privateHandle === undefined) throw new NrfutilError(`${this.label} has no private key object on the token; signing needs one`);
    const digest = createHash('sha256').update(message).digest();
    const { lib } = this.session;
    try {
      const signature = await withSessionRetry(this.session, (handle) => {
        // object handles are only promised within a session: after a re-login, find the key again
        if (handle !== this.foundIn) {
          this.privateHandle = findOne(this.session, handle, objectTemplate(this.uri, pkcs11js.CKO_PRIVATE_KEY));
          this.foundIn = handle;
        }
        if (this.privateHandle === undefined) throw new NrfutilError(`${this.label} has no private key object on the token any more`);
        lib.C_SignInit(handle, { mechanism: pkcs11js.CKM_ECDSA }, this.privateHandle);
        return lib.C_Sign(handle, digest, Buffer.alloc(64));
      });
      if (signature.length !== 64) throw new NrfutilError(`${this.label}: the token returned a ${signature.length}-byte ECDSA signature, expected 64`);
      return Uint8Array.from(signature);
    } catch (e) {
      if (e instanceof NrfutilError) throw e;
      throw new NrfutilError(`${this.label}: the token refused to sign (${ckrName(e)})`);
    }
  }

  // No close(): the token's session is shared by every key of the command and closed
  // once, at exit (session.ts), so a batch logs in once.
}
