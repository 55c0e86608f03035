/**
 * Browser tests' harness (decision 0045): the real portal build, a real dancu server on a
 * temporary store (test/support/http.ts), Debian's Chromium driven by playwright-core, axe-core on
 * every page visited, and README screenshots. Without /usr/bin/chromium the tests skip with a loud
 * message — under CI=true they fail instead (.ci/run installs it).
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { startTestServer, type TestServer } from '../../support/http.js';
import type { AppOptions } from '../../../src/http/app.js';

export const CHROMIUM = process.env.DANCU_CHROMIUM ?? '/usr/bin/chromium';
const ROOT = new URL('../../../', import.meta.url).pathname;
const WEB = join(ROOT, 'web');
const DIST_WEB = join(ROOT, 'dist', 'web');

/** The flags that work on these machines: no sandbox as root, no network beyond loopback. */
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'];

export const PHONE = { width: 360, height: 740 } as const;
export const DESKTOP = { width: 1280, height: 800 } as const;
export const VIEWPORTS = [PHONE, DESKTOP] as const;

/**
 * The reason to skip the browser tests, or undefined to run them. Loud, because a skipped browser
 * test is easily missed; under CI a missing browser is a failure.
 */
export function browserMissing(): string | undefined {
  if (existsSync(CHROMIUM)) return undefined;
  const message = `Browser tests need Chromium at ${CHROMIUM} (apt-get install chromium); it is missing.`;
  if (process.env.CI === 'true') throw new Error(`${message} Under CI this fails the run.`);
  process.stderr.write(`\n!!! ${message} SKIPPING the browser tests. !!!\n\n`);
  return message;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true })
    .map(String)
    .filter((f) => !f.includes('node_modules'))
    .map((f) => join(dir, f))
    .filter((f) => statSync(f).isFile());
}

/**
 * The built portal for this run: dist/web when it is newer than every source in web/, else a build
 * into a temporary folder named for the sources' state (built once, shared by test files that run
 * at the same time: the first to finish renames its build into place).
 */
/** How long a test file waits for another's build of the same sources (a loaded machine builds slowly). */
const BUILD_WAIT_MS = 600_000;

export function portalBuild(): string {
  const files = sourceFiles(WEB).sort();
  const newest = Math.max(...files.map((f) => statSync(f).mtimeMs));
  if (existsSync(join(DIST_WEB, 'index.html')) && statSync(join(DIST_WEB, 'index.html')).mtimeMs > newest) return DIST_WEB;
  const hash = createHash('sha256');
  for (const f of files) hash.update(relative(WEB, f)).update('\0').update(readFileSync(f));
  const out = join(tmpdir(), `dancu-web-${hash.digest('hex').slice(0, 16)}`);
  if (existsSync(join(out, 'index.html'))) return out;
  const partial = mkdtempSync(join(tmpdir(), 'dancu-web-build-'));
  const r = spawnSync(process.execPath, [join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--config', join(WEB, 'vite.config.ts'), '--logLevel', 'warn'], {
    cwd: ROOT,
    env: { ...process.env, DANCU_WEB_OUT_DIR: partial },
    encoding: 'utf8',
  });
  // Vite 8 refuses a second build of one project while another runs (test files start at once on
  // a fresh clone): the other one builds the same sources into the same folder — wait for it.
  if (r.status !== 0 && /another Vite build process/i.test(`${r.stdout}${r.stderr}`)) {
    rmSync(partial, { recursive: true, force: true });
    const until = Date.now() + BUILD_WAIT_MS;
    while (Date.now() < until && !existsSync(join(out, 'index.html'))) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 500);
    if (existsSync(join(out, 'index.html'))) return out;
    throw new Error(`another vite build of the portal did not finish within ${BUILD_WAIT_MS / 1000} s`);
  }
  if (r.status !== 0) throw new Error(`vite build failed:\n${r.stdout}\n${r.stderr}`);
  try {
    renameSync(partial, out);
  } catch {
    rmSync(partial, { recursive: true, force: true }); // another test file won the race
  }
  return out;
}

export interface Portal {
  server: TestServer;
  browser: Browser;
  webDir: string;
  url(path: string): string;
  /** A fresh browser context (its own cookies and storage) at a viewport. */
  context(viewport?: { width: number; height: number }): Promise<BrowserContext>;
  close(): Promise<void>;
}

export async function startPortal(options: Pick<AppOptions, 'auth' | 'trustProxy'> & { browserArgs?: readonly string[] } = {}): Promise<Portal> {
  const webDir = portalBuild();
  // browserArgs: extra Chromium flags for one test file (e.g. a fake camera fed from a file).
  const { browserArgs = [], ...appOptions } = options;
  const server = await startTestServer(undefined, { ...appOptions, webDir });
  // Playwright gives the browser a fresh, empty profile of its own (a temporary --user-data-dir).
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: [...FLAGS.filter((f) => f !== '--headless'), ...browserArgs], headless: true }).catch(async (e: unknown) => {
    await server.close();
    throw e;
  });
  return {
    server,
    browser,
    webDir,
    url: (path) => server.baseUrl + path,
    context: (viewport = DESKTOP) => browser.newContext({ viewport, locale: 'vi-VN', timezoneId: 'Asia/Ho_Chi_Minh' }),
    async close() {
      await browser.close();
      await server.close();
    },
  };
}

/**
 * Records what a page must never do: violate the Content-Security-Policy or throw. Call once per
 * page, then `problems()` at the end.
 */
export function watch(page: Page): { problems(): string[] } {
  const seen: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' && /Content Security Policy|Refused to/i.test(m.text())) seen.push(`CSP: ${m.text()}`);
  });
  page.on('pageerror', (e) => seen.push(`error: ${e.message}`));
  return { problems: () => seen };
}

const AXE_SOURCE = readFileSync(join(ROOT, 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: Array<{ target: string[] }>;
}

/**
 * axe-core's serious and critical violations on the page as it is now. The page's CSP forbids
 * injected scripts; axe is evaluated through the DevTools protocol, which the policy does not
 * govern, so the page under test keeps its real policy (nothing is bypassed for the portal itself).
 */
export async function axeViolations(page: Page): Promise<AxeViolation[]> {
  const loaded = await page.evaluate('typeof window.axe === "object"');
  if (!loaded) await page.evaluate(AXE_SOURCE);
  const result = (await page.evaluate('window.axe.run(document, { resultTypes: ["violations"] })')) as { violations: AxeViolation[] };
  return result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

/** A readable account of violations for an assertion message. */
export function describeViolations(vs: AxeViolation[]): string {
  return vs.map((v) => `${v.impact} ${v.id}: ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`).join('\n');
}

/**
 * A screenshot: into docs/screenshots/<name>.png when DANCU_UPDATE_SCREENSHOTS=1 (the README shows
 * them), else into a temporary folder (taken anyway, so the path stays exercised).
 */
export async function screenshot(page: Page, name: string): Promise<string> {
  const dir = process.env.DANCU_UPDATE_SCREENSHOTS === '1' ? join(ROOT, 'docs', 'screenshots') : join(tmpdir(), 'dancu-screenshots');
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

/** The JavaScript a page's first load fetches, by gzip size, from the build's own files. */
export function gzipSizeOf(webDir: string, assetPath: string): number {
  return gzipSync(readFileSync(join(webDir, assetPath.replace(/^\//, '')))).length;
}
