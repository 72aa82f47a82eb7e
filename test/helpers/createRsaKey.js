// Makes an RSA key pair in a SoftHSM2 token (nrfutil-ts itself only makes EC keys), so
// the tests can show how a non-EC object is refused. Run as a child process: pkcs11js
// wants the process's own Buffer, which jest's sandbox does not provide.
// usage: node createRsaKey.js MODULE TOKEN PIN LABEL   (SOFTHSM2_CONF in the environment)
const pkcs11js = require('pkcs11js');

const [modulePath, token, pin, label] = process.argv.slice(2);
const lib = new pkcs11js.PKCS11();
lib.load(modulePath);
lib.C_Initialize();
try {
  const slot = lib.C_GetSlotList(true).find((s) => lib.C_GetTokenInfo(s).label.trim() === token);
  const session = lib.C_OpenSession(slot, pkcs11js.CKF_SERIAL_SESSION | pkcs11js.CKF_RW_SESSION);
  lib.C_Login(session, pkcs11js.CKU_USER, pin);
  const common = [
    { type: pkcs11js.CKA_TOKEN, value: true },
    { type: pkcs11js.CKA_LABEL, value: label },
  ];
  lib.C_GenerateKeyPair(
    session,
    { mechanism: pkcs11js.CKM_RSA_PKCS_KEY_PAIR_GEN },
    [...common, { type: pkcs11js.CKA_MODULUS_BITS, value: 1024 }, { type: pkcs11js.CKA_PUBLIC_EXPONENT, value: Buffer.from([1, 0, 1]) }],
    [...common, { type: pkcs11js.CKA_SIGN, value: true }, { type: pkcs11js.CKA_PRIVATE, value: true }],
  );
  lib.C_Logout(session);
  lib.C_CloseSession(session);
} finally {
  lib.C_Finalize();
  lib.close();
}
