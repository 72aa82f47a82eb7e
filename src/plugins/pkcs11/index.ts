import fs from 'node:fs';
import * as pkcs11js from 'pkcs11js';
import { NrfutilError, UsageError } from '../../core/errors';
import type { KeyProviderFactory, KeyReference, ProviderContext } from '../keyProvider';
import { ckrName, openTokenSession, TokenSession } from './session';
import { describeObject, P256_EC_PARAMS, TokenKey } from './tokenKey';
import { parsePkcs11Uri, Pkcs11Uri, redactPkcs11Uri } from './uri';
import { pkcs11Traits } from '../pkcs11Lazy';

interface Pkcs11Config {
  module?: string;
  token?: string;
}

/** The config file's `providers.pkcs11` section (or the older top-level `pkcs11`). */
function configOf(ctx: ProviderContext): Pkcs11Config {
  const providers = ctx.config.providers as Record<string, unknown> | undefined;
  const section = ctx.settings ?? providers?.pkcs11 ?? ctx.config.pkcs11;
  return section && typeof section === 'object' ? (section as Pkcs11Config) : {};
}

/** Module: the URI's module-path, then the config file, then NRFUTIL_PKCS11_MODULE. */
function modulePathFor(uri: Pkcs11Uri, ctx: ProviderContext): string {
  const path = uri.modulePath ?? configOf(ctx).module ?? ctx.env.NRFUTIL_PKCS11_MODULE;
  if (!path) throw new UsageError('No PKCS#11 module: add module-path=… to the URI, pkcs11.module to the config file, or set NRFUTIL_PKCS11_MODULE');
  return path;
}

/**
 * PIN: the URI's pin-source=file:… or pin-value (which warns: a PIN in argv is visible
 * to other users), then NRFUTIL_PKCS11_PIN, then a prompt on a terminal.
 */
async function pinFor(uri: Pkcs11Uri, token: string, ctx: ProviderContext): Promise<string> {
  if (uri.pinSource !== undefined) {
    const file = uri.pinSource.replace(/^file:(\/\/)?/, '');
    try {
      return fs.readFileSync(file, 'utf8').replace(/\r?\n$/, '');
    } catch {
      throw new NrfutilError(`Cannot read the PIN file named by pin-source (${file})`);
    }
  }
  if (uri.pinValue !== undefined) {
    ctx.warn('pin-value in a PKCS#11 URI puts the PIN on the command line; prefer NRFUTIL_PKCS11_PIN or pin-source=file:…');
    return uri.pinValue;
  }
  if (ctx.env.NRFUTIL_PKCS11_PIN !== undefined) return ctx.env.NRFUTIL_PKCS11_PIN;
  if (ctx.promptSecret) return ctx.promptSecret(`PIN for token '${token}': `);
  throw new NrfutilError(`No PIN for token '${token}': set NRFUTIL_PKCS11_PIN, use pin-source=file:… in the URI, or run on a terminal to be asked`);
}

async function sessionFor(ref: KeyReference, ctx: ProviderContext): Promise<{ uri: Pkcs11Uri; session: TokenSession; label: string }> {
  const uri = parsePkcs11Uri(ref.keyFile!);
  if (uri.object === undefined && uri.id === undefined) throw new UsageError(`PKCS#11 URI names no key: add object=LABEL or id=%XX… (${redactPkcs11Uri(ref.keyFile!)})`);
  const token = uri.token ?? (uri.serial === undefined ? configOf(ctx).token : undefined);
  const session = await openTokenSession(modulePathFor(uri, ctx), { token, serial: uri.serial }, () => pinFor(uri, token ?? uri.serial ?? 'token', ctx));
  return { uri, session, label: redactPkcs11Uri(ref.keyFile!) };
}

/** Creates a P-256 pair inside the token: private half sensitive and not extractable. */
function generateInToken(session: TokenSession, uri: Pkcs11Uri): void {
  const what = describeObject(uri, session.tokenLabel);
  const id = uri.id ?? Buffer.from(uri.object ?? '', 'utf8');
  // Any object, public or private, under this label or id: a second pair under one label
  // makes "which key signs" ambiguous (a token accepts duplicates without complaint).
  const templates: pkcs11js.Template[] = [[{ type: pkcs11js.CKA_ID, value: id }]];
  if (uri.object !== undefined) templates.push([{ type: pkcs11js.CKA_LABEL, value: uri.object }]);
  for (const template of templates) {
    session.lib.C_FindObjectsInit(session.handle, template);
    const found = session.lib.C_FindObjects(session.handle, 1);
    session.lib.C_FindObjectsFinal(session.handle);
    if (found.length) throw new NrfutilError(`The ${what} already exists (a key object with this label or id is on the token); choose another object= or delete it first`);
  }
  const common = [
    { type: pkcs11js.CKA_TOKEN, value: true },
    { type: pkcs11js.CKA_ID, value: id },
    ...(uri.object !== undefined ? [{ type: pkcs11js.CKA_LABEL, value: uri.object }] : []),
  ];
  try {
    session.lib.C_GenerateKeyPair(
      session.handle,
      { mechanism: pkcs11js.CKM_EC_KEY_PAIR_GEN },
      [...common, { type: pkcs11js.CKA_EC_PARAMS, value: P256_EC_PARAMS }, { type: pkcs11js.CKA_VERIFY, value: true }],
      [...common, { type: pkcs11js.CKA_PRIVATE, value: true }, { type: pkcs11js.CKA_SENSITIVE, value: true }, { type: pkcs11js.CKA_EXTRACTABLE, value: false }, { type: pkcs11js.CKA_SIGN, value: true }],
    );
  } catch (e) {
    throw new NrfutilError(`The token could not generate the ${what} (${ckrName(e)})`);
  }
}

export const pkcs11Provider: KeyProviderFactory = {
  ...pkcs11Traits,
  async open(ref, ctx) {
    const { uri, session, label } = await sessionFor(ref, ctx);
    return TokenKey.open(session, uri, label);
  },
  async generate(ref, ctx) {
    const { uri, session, label } = await sessionFor(ref, ctx);
    generateInToken(session, uri);
    return await TokenKey.open(session, uri, label);
  },
};
