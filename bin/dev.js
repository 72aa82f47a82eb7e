#!/usr/bin/env node
// Development entry point: builds nothing, runs the compiled CLI after `npm run build`.
// (Kept separate so scripts can point at bin/dev.js while run.js stays the product.)
require('./run.js');
