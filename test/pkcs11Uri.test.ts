import { parsePkcs11Uri, redactPkcs11Uri } from '../src/plugins/pkcs11/uri';

describe('PKCS#11 URI (RFC 7512)', () => {
  test('path and query attributes', () => {
    expect(parsePkcs11Uri('pkcs11:token=fleet;object=dev-0042;serial=abc?module-path=/usr/lib/softhsm/libsofthsm2.so&pin-source=file:/run/pin')).toMatchObject({
      token: 'fleet',
      object: 'dev-0042',
      serial: 'abc',
      modulePath: '/usr/lib/softhsm/libsofthsm2.so',
      pinSource: 'file:/run/pin',
    });
  });

  test('percent-encoding: id= as raw bytes, text attributes as UTF-8', () => {
    const uri = parsePkcs11Uri('pkcs11:token=My%20Token;id=%01%ff%41;object=caf%C3%A9');
    expect(uri.token).toBe('My Token');
    expect(uri.id).toEqual(Buffer.from([0x01, 0xff, 0x41]));
    expect(uri.object).toBe('café');
  });

  test.each([
    ['file.pem', /must start with 'pkcs11:'/],
    ['pkcs11:token', /'token' is not name=value/],
    ['pkcs11:tokn=x', /unknown path attribute 'tokn'/],
    ['pkcs11:token=a;token=b', /'token' given twice/],
    ['pkcs11:object=%zz', /bad percent-encoding in 'object'/],
    ['pkcs11:object=a?pin=1', /unknown query attribute 'pin'/],
  ])('%s is refused: %s', (text, message) => {
    expect(() => parsePkcs11Uri(text)).toThrow(message);
  });

  test('the PIN is redacted from labels', () => {
    expect(redactPkcs11Uri('pkcs11:object=a?module-path=/m.so&pin-value=1234')).toBe('pkcs11:object=a?module-path=/m.so&pin-value=***');
  });
});
