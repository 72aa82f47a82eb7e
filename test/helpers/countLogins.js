// Preloaded into the CLI (`node -r countLogins.js bin/run.js …`): counts C_Login calls and
// writes the count to $LOGIN_COUNT_FILE at exit, so a test can see how often a batch
// logged in to the token (a real token locks its PIN after a few failures).
const fs = require('node:fs');
const pkcs11js = require('pkcs11js');

const login = pkcs11js.PKCS11.prototype.C_Login;
let calls = 0;
pkcs11js.PKCS11.prototype.C_Login = function countedLogin(...args) {
  calls++;
  return login.apply(this, args);
};
process.on('exit', () => fs.writeFileSync(process.env.LOGIN_COUNT_FILE, String(calls)));
