// Leaves a token with a private key and a public key under one label that do not belong
// together (the public object is another pair's, relabelled), as a mistaken import or a
// key rotation gone wrong does. usage: node mismatchKeyPair.js MODULE TOKEN PIN LABEL OTHER
// Both LABEL and OTHER must exist (EC pairs, id = label bytes, as nrfutil-ts makes them).
const pkcs11js = require('pkcs11js');

const [modulePath, token, pin, label, other] = process.argv.slice(2);
const lib = new pkcs11js.PKCS11();
lib.load(modulePath);
lib.C_Initialize();
const find = (session, keyClass, name) => {
  lib.C_FindObjectsInit(session, [{ type: pkcs11js.CKA_CLASS, value: keyClass }, { type: pkcs11js.CKA_LABEL, value: name }]);
  const [handle] = lib.C_FindObjects(session, 1);
  lib.C_FindObjectsFinal(session);
  return handle;
};
try {
  const slot = lib.C_GetSlotList(true).find((s) => lib.C_GetTokenInfo(s).label.trim() === token);
  const session = lib.C_OpenSession(slot, pkcs11js.CKF_SERIAL_SESSION | pkcs11js.CKF_RW_SESSION);
  lib.C_Login(session, pkcs11js.CKU_USER, pin);
  lib.C_DestroyObject(session, find(session, pkcs11js.CKO_PUBLIC_KEY, label));
  lib.C_SetAttributeValue(session, find(session, pkcs11js.CKO_PUBLIC_KEY, other), [
    { type: pkcs11js.CKA_LABEL, value: label },
    { type: pkcs11js.CKA_ID, value: Buffer.from(label, 'utf8') },
  ]);
  lib.C_Logout(session);
  lib.C_CloseSession(session);
} finally {
  lib.C_Finalize();
  lib.close();
}
