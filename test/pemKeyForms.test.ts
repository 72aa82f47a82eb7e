import { generateKeyPairSync } from 'node:crypto';
import { SoftwareKey } from '../src/plugins/pemFile';

// Plain SEC1 and PKCS#8 files take a faster reading path; every form must give the same key.
describe('PEM private key forms', () => {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const sec1 = privateKey.export({ type: 'sec1', format: 'pem' }).toString();
  const pkcs8 = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const expected = SoftwareKey.fromKeyObject(privateKey, 'reference');
  const message = new TextEncoder().encode('init command');

  test.each([
    ['SEC1', sec1],
    ['PKCS#8', pkcs8],
    ['SEC1 with CRLF line ends', sec1.replace(/\n/g, '\r\n')],
    ['SEC1 after an EC PARAMETERS block (openssl ecparam -genkey)', '-----BEGIN EC PARAMETERS-----\nBggqhkjOPQMBBw==\n-----END EC PARAMETERS-----\n' + sec1],
    ['SEC1 without a final newline', sec1.trimEnd()],
  ])('%s reads as the same key', async (_form, pem) => {
    const key = SoftwareKey.fromPem(pem, 'key.pem');
    expect(Buffer.from(await key.publicKey())).toEqual(Buffer.from(await expected.publicKey()));
    expect(Buffer.from(await key.sign(message))).toEqual(Buffer.from(await expected.sign(message)));
  });

  test('a damaged body is refused with the file name, not read as some other key', () => {
    const damaged = sec1.replace(/\n([A-Za-z0-9+/]{10})/, '\n!!!!!!!!!!');
    expect(() => SoftwareKey.fromPem(damaged, 'broken.pem')).toThrow(/^broken\.pem: not a readable PEM key/);
  });

  test('a key on another curve is refused by name', () => {
    const other = generateKeyPairSync('ec', { namedCurve: 'secp384r1' }).privateKey.export({ type: 'sec1', format: 'pem' }).toString();
    expect(() => SoftwareKey.fromPem(other, 'p384.pem')).toThrow(/p384\.pem: an EC key on curve secp384r1, not a P-256/);
  });
});
