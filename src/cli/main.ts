/**
 * Entry point of the `dancu` command: checks the runtime, then loads the program. The program is
 * imported dynamically so that an old Node reads the check's one line instead of a link error.
 */
import { nodeVersionProblem } from './node-version.js';

const problem = nodeVersionProblem(process.versions.node);
if (problem) {
  process.stderr.write(`${problem}\n`);
  process.exit(1);
}
await import('./program.js');
