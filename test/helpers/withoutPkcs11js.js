// Preloaded with NODE_OPTIONS=--require: makes `pkcs11js` unloadable, as after
// `npm install --ignore-scripts` (its native add-on is never built).
const Module = require('node:module');
const resolve = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  if (request === 'pkcs11js') {
    const e = new Error("Cannot find module 'pkcs11js'");
    e.code = 'MODULE_NOT_FOUND';
    throw e;
  }
  return resolve.call(this, request, ...rest);
};
