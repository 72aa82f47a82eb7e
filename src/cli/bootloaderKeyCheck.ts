import * as Flags from '@oclif/core/flags';
import fs from 'node:fs';
import path from 'node:path';
import { BootloaderKeyReport, bootloaderBytes, bootloaderKeyReport, bootloaderKeyText, keyFingerprint } from '../core/bootloaderKey';
import { toHex } from '../core/bytes';
import { NrfutilError, UsageError } from '../core/errors';
import { publicKeyFromText } from '../core/libraryKeys';
import type { InitCommand } from '../core/initPacket';
import { readDfuPackage } from '../core/packageReader';

export const expectBootloaderKeyFlag = {
  'expect-bootloader-key': Flags.string({ description: 'A bootloader in the package must trust this public key (PEM file, or the hex of keys display --format hex); else an error' }),
};

/** An image that may carry a bootloader: a planned one or one read back. */
export interface BootloaderImageLike {
  kind: string;
  binName: string;
  bin: Uint8Array;
  init: InitCommand;
}

function readExpectedKey(file: string | undefined): Uint8Array | undefined {
  if (file === undefined) return undefined;
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    throw new UsageError(`Invalid value for '--expect-bootloader-key': File '${file}' does not exist or cannot be read.`);
  }
  try {
    return publicKeyFromText(text, file);
  } catch (e) {
    throw new UsageError(`Invalid value for '--expect-bootloader-key': ${(e as Error).message}`);
  }
}

/** Which device of a key directory a public key belongs to (the directory read once, on first use). */
function keyDirLookup(keyDir: string | undefined): ((xy: Uint8Array) => string | undefined) | undefined {
  if (keyDir === undefined || !fs.existsSync(keyDir)) return undefined;
  let byKey: Map<string, string> | undefined;
  return (xy) => {
    if (!byKey) {
      byKey = new Map();
      for (const file of fs.readdirSync(keyDir).filter((f) => f.endsWith('.pem'))) {
        try {
          byKey.set(toHex(publicKeyFromText(fs.readFileSync(path.join(keyDir, file), 'utf8'), file)), file.slice(0, -4));
        } catch {
          // an encrypted or foreign file: not a device key we can name
        }
      }
    }
    return byKey.get(toHex(xy));
  };
}

export interface BootloaderKeyCheckOptions {
  signingKey?: Uint8Array;
  expect?: string;
  keyDir?: string;
}

/**
 * Finds and reports the public key each bootloader in the package trusts, warns about
 * none / the SDK debug key / the signing key itself, and refuses (before anything is
 * written) when `--expect-bootloader-key` names another key.
 */
export function checkBootloaderKeys(images: BootloaderImageLike[], options: BootloaderKeyCheckOptions): { reports: BootloaderKeyReport[]; mismatch?: string; text: string; warnings: string } {
  const expectedKey = readExpectedKey(options.expect);
  const deviceOf = keyDirLookup(options.keyDir);
  const reports = images.flatMap((image) => {
    const bl = bootloaderBytes(image);
    return bl ? [bootloaderKeyReport(image.binName, bl, { signingKey: options.signingKey, expectedKey, deviceOf })] : [];
  });
  if (expectedKey && reports.length === 0) throw new UsageError('--expect-bootloader-key was given, but the package carries no bootloader');
  const wrong = reports.find((r) => r.expected === false);
  const mismatch = wrong
    ? `the bootloader in ${wrong.image} trusts ${wrong.fingerprint ? `key ${wrong.fingerprint.slice(0, 16)}…` : 'no key'}, not the --expect-bootloader-key key ${keyFingerprint(expectedKey!).slice(0, 16)}…`
    : undefined;
  return {
    reports,
    mismatch,
    text: reports.map(bootloaderKeyText).join(''),
    warnings: reports.flatMap((r) => r.warnings.map((w) => `Warning: ${w}\n`)).join(''),
  };
}

/** For the commands that write: a mismatch stops them before any file. */
export function refuseMismatch(check: { mismatch?: string }): void {
  if (check.mismatch) throw new NrfutilError(`${check.mismatch}; nothing written`);
}

/** The same for a package on disk (pkg verify): an unreadable package has no bootloader to report. */
export async function packageBootloaderCheck(zip: Uint8Array, name: string, options: BootloaderKeyCheckOptions): Promise<ReturnType<typeof checkBootloaderKeys>> {
  let images: BootloaderImageLike[];
  try {
    images = (await readDfuPackage(zip, name)).images.map((i) => ({ kind: i.kind, binName: i.binFile, bin: i.bin, init: i.packet.init }));
  } catch {
    return { reports: [], text: '', warnings: '' }; // pkg verify already says why the package cannot be read
  }
  return checkBootloaderKeys(images, options);
}

/**
 * What pkg generate says on stderr: the key a bootloader trusts and its warnings, but
 * nothing for a bootloader without one (nrfutil says nothing either, and an open
 * bootloader is a deliberate choice; pkg sign and pkg verify do warn).
 */
export function quietWithoutKey(check: { reports: BootloaderKeyReport[]; text: string; warnings: string }): string {
  return check.reports.some((r) => r.fingerprint) ? check.text + check.warnings : '';
}
