#!/usr/bin/env node
// Entry point of the `gongkai` admin CLI: registers tsx so the TypeScript
// sources run directly (no build step for admins), then hands over to main.ts.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('./main.ts');
process.exitCode = await main(process.argv.slice(2));
