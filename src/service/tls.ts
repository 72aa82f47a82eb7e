import fs from 'node:fs';
import { createPrivateKey, KeyObject, X509Certificate } from 'node:crypto';
import tls from 'node:tls';
import { NrfutilError } from '../core/errors';

export interface TlsFiles {
  certFile: string;
  keyFile: string;
  /** CA bundle (PEM) that client certificates must chain to: mutual TLS. */
  clientCaFile?: string;
}

/** What Fastify's `https` option takes. */
export interface HttpsOptions {
  cert: Buffer;
  key: Buffer;
  ca?: Buffer;
  requestCert?: boolean;
  rejectUnauthorized?: boolean;
}

function readPem(file: string, option: string): Buffer {
  try {
    return fs.readFileSync(file);
  } catch (e) {
    throw new NrfutilError(`Cannot read ${option} ${file} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}); give a readable PEM file`);
  }
}

/**
 * Reads and checks the service's TLS files before it listens, so a wrong file is one
 * clear line at start-up rather than a handshake failure for every client: the
 * certificate parses, the key parses (unencrypted PEM), the key is the certificate's,
 * and the client CA bundle (for mTLS) holds certificates. With a client CA, a client
 * must present a certificate that chains to it, or the handshake is refused.
 */
export function loadTls(files: TlsFiles): HttpsOptions {
  const cert = readPem(files.certFile, '--tls-cert');
  const key = readPem(files.keyFile, '--tls-key');
  let certificate: X509Certificate;
  try {
    certificate = new X509Certificate(cert);
  } catch {
    throw new NrfutilError(`--tls-cert ${files.certFile} is not a PEM certificate (-----BEGIN CERTIFICATE-----)`);
  }
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey(key);
  } catch (e) {
    const encrypted = /passphrase/i.test((e as Error).message);
    throw new NrfutilError(`--tls-key ${files.keyFile} is not ${encrypted ? 'an unencrypted' : 'a PEM'} private key${encrypted ? ' (decrypt it first: openssl pkey -in KEY -out KEY.plain)' : ''}`);
  }
  if (!certificate.checkPrivateKey(privateKey)) throw new NrfutilError(`--tls-key ${files.keyFile} does not belong to --tls-cert ${files.certFile} (the key and the certificate's public key differ)`);
  if (files.clientCaFile === undefined) return { cert, key };
  const ca = readPem(files.clientCaFile, '--tls-client-ca');
  try {
    new X509Certificate(ca);
    tls.createSecureContext({ ca });
  } catch {
    throw new NrfutilError(`--tls-client-ca ${files.clientCaFile} is not a PEM certificate bundle (-----BEGIN CERTIFICATE-----)`);
  }
  return { cert, key, ca, requestCert: true, rejectUnauthorized: true };
}
