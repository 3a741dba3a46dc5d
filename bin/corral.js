#!/usr/bin/env node
import { main } from '../dist/cli/main.js';

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    process.stderr.write(`corral: ${err?.stack ?? err}\n`);
    process.exitCode = 1;
  },
);
