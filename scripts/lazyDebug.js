'use strict';
// Stands in for the `debug` package inside the bundle (scripts/bundle.js). oclif's logger
// makes `debug` loggers on every run, and loading `debug` (supports-color, tty, parsing the
// environment) costs several milliseconds; its loggers print only when DEBUG is set, so
// the real package is loaded only then.
module.exports = function lazyDebug(namespace) {
  if (process.env.DEBUG) return require('debug')(namespace);
  const log = () => undefined;
  log.enabled = false;
  log.namespace = namespace;
  log.extend = (sub, delimiter = ':') => lazyDebug(`${namespace}${delimiter}${sub}`);
  return log;
};
