// Standalone entry for the NLU command, used by tests and by anyone without src/main.ts.
import { runNluCli } from './cli.js';

await runNluCli(process.argv.slice(2));
