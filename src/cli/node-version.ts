/**
 * Which Node.js dancu needs, said before anything that needs it is loaded: started with an older
 * `node` directly, the first import of `node:sqlite` would fail with a bare "unknown built-in
 * module". Kept free of imports so that any Node can load it.
 */
export const REQUIRED_NODE_MAJOR = 24;

/** One line explaining what to do, or undefined when `version` (e.g. process.versions.node) will do. */
export function nodeVersionProblem(version: string): string | undefined {
  const major = Number(/^v?(\d+)\./.exec(version)?.[1]);
  if (Number.isInteger(major) && major >= REQUIRED_NODE_MAJOR) return undefined;
  return (
    `dancu needs Node.js ${REQUIRED_NODE_MAJOR} or later (this is ${version.startsWith('v') ? version : `v${version}`}): ` +
    `run it through npm (npm start, npx dancu …), which uses the Node ${REQUIRED_NODE_MAJOR} that npm ci installed, ` +
    `or put a Node ${REQUIRED_NODE_MAJOR} first on PATH.`
  );
}
