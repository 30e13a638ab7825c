#!/usr/bin/env node
// Launcher for the TypeScript CLI (src/cli/main.ts), compiled on the fly by tsx.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli/main.ts');
