import { UsageError } from '../../core/errors';
import { redactSecrets, safeText } from '../../core/safeText';

/** The parts of an RFC 7512 PKCS#11 URI that select a key and say how to reach it. */
export interface Pkcs11Uri {
  token?: string;
  serial?: string;
  manufacturer?: string;
  model?: string;
  /** CKA_LABEL of the key objects. */
  object?: string;
  /** CKA_ID of the key objects (raw bytes; `id=%01%02` in the URI). */
  id?: Buffer;
  type?: string;
  modulePath?: string;
  pinSource?: string;
  pinValue?: string;
}

const PATH_ATTRIBUTES = new Set(['token', 'serial', 'manufacturer', 'model', 'object', 'id', 'type', 'library-manufacturer', 'library-description', 'library-version', 'slot-id', 'slot-description', 'slot-manufacturer']);
const QUERY_ATTRIBUTES = new Set(['module-path', 'module-name', 'pin-source', 'pin-value']);

function percentDecode(value: string, attribute: string): Buffer {
  if (/%(?![0-9a-fA-F]{2})/.test(value)) throw new UsageError(`Invalid PKCS#11 URI: bad percent-encoding in '${attribute}'`);
  const bytes: number[] = [];
  for (let i = 0; i < value.length; i++) {
    if (value[i] === '%') {
      bytes.push(parseInt(value.slice(i + 1, i + 3), 16));
      i += 2;
    } else {
      bytes.push(...Buffer.from(value[i], 'utf8'));
    }
  }
  return Buffer.from(bytes);
}

function attributes(part: string, separator: string, known: Set<string>, where: string): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  const pairs = part.split(separator);
  for (const [index, pair] of pairs.entries()) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    // A query pair is not echoed: a mistyped `pin-value:1234` or `pin-value1234` holds the PIN.
    if (eq <= 0 && where === 'path') throw new UsageError(`Invalid PKCS#11 URI: '${safeText(pair, 40)}' is not name=value`);
    if (eq <= 0) throw new UsageError(`Invalid PKCS#11 URI: query attribute ${index + 1} is not name=value (check the spelling of pin-value=, module-path=, …)`);
    const name = pair.slice(0, eq).toLowerCase();
    if (!known.has(name)) throw new UsageError(`Invalid PKCS#11 URI: unknown ${where} attribute '${safeText(name, 40)}'`);
    if (out.has(name)) throw new UsageError(`Invalid PKCS#11 URI: '${name}' given twice`);
    out.set(name, percentDecode(pair.slice(eq + 1), name));
  }
  return out;
}

/** RFC 7512 URI schemes are case-insensitive: `PKCS11:` is a PKCS#11 URI too. */
export function isPkcs11Uri(text: string): boolean {
  return /^pkcs11:/i.test(text);
}

/** Parses `pkcs11:token=…;object=…?module-path=…&pin-source=…`. Never echoes a PIN. */
export function parsePkcs11Uri(uri: string): Pkcs11Uri {
  if (!isPkcs11Uri(uri)) throw new UsageError(`Not a PKCS#11 URI: must start with 'pkcs11:'`);
  const body = uri.slice('pkcs11:'.length);
  const q = body.indexOf('?');
  const path = attributes(q < 0 ? body : body.slice(0, q), ';', PATH_ATTRIBUTES, 'path');
  const query = attributes(q < 0 ? '' : body.slice(q + 1), '&', QUERY_ATTRIBUTES, 'query');
  const text = (m: Map<string, Buffer>, k: string) => m.get(k)?.toString('utf8');
  return {
    token: text(path, 'token'),
    serial: text(path, 'serial'),
    manufacturer: text(path, 'manufacturer'),
    model: text(path, 'model'),
    object: text(path, 'object'),
    id: path.get('id'),
    type: text(path, 'type'),
    modulePath: text(query, 'module-path'),
    pinSource: text(query, 'pin-source'),
    pinValue: text(query, 'pin-value'),
  };
}

/** The URI without its PIN, for messages and labels. */
export function redactPkcs11Uri(uri: string): string {
  return redactSecrets(uri);
}
