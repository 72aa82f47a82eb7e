// Preloaded into `serve` (`node -r hsmSessionLoss.js bin/run.js serve …`) by the HSM retry
// test: it makes the token really lose the service's session, through the module's own
// C_CloseAllSessions (as another application, a token reset or a pulled token would),
// just before a signature, when $SESSION_LOSS_FILE says so: `once` (then cleared) or
// `always`. It also writes the number of C_Login calls so far to $LOGIN_COUNT_FILE.
const fs = require('node:fs');
const pkcs11js = require('pkcs11js');

const proto = pkcs11js.PKCS11.prototype;
const { C_OpenSession, C_Login, C_SignInit } = proto;
let slot;
let logins = 0;
proto.C_OpenSession = function openSession(s, ...rest) {
  slot = s;
  return C_OpenSession.call(this, s, ...rest);
};
proto.C_Login = function login(...args) {
  logins++;
  fs.writeFileSync(process.env.LOGIN_COUNT_FILE, String(logins));
  return C_Login.apply(this, args);
};
proto.C_SignInit = function signInit(...args) {
  const mode = fs.existsSync(process.env.SESSION_LOSS_FILE) ? fs.readFileSync(process.env.SESSION_LOSS_FILE, 'utf8').trim() : '';
  if (mode === 'once') fs.writeFileSync(process.env.SESSION_LOSS_FILE, '');
  if (mode === 'once' || mode === 'always') this.C_CloseAllSessions(slot);
  return C_SignInit.apply(this, args);
};
