import { existsSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

/**
 * Debian's Chromium driven by playwright-core (never `playwright install`: no downloads). Each
 * journey gets a browser of its own with a fresh profile, so nothing (sessionStorage, cache) leaks
 * between people. Only loopback traffic: background networking, updates and sync are off.
 */
export const CHROMIUM = process.env.DAYBREAK_CHROMIUM ?? '/usr/bin/chromium';

const ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Screenshots of each view, kept for a person to look at (git-ignored). */
export const SCREENSHOTS = path.resolve(__dirname, '../../../.artifacts/console');

export interface Browser {
  context: BrowserContext;
  page: Page;
  close(): Promise<void>;
}

export async function openBrowser(): Promise<Browser> {
  // Fails, never skips: a browser test that quietly does not run proves nothing.
  if (!existsSync(CHROMIUM)) {
    throw new Error(`Chromium is not installed at ${CHROMIUM}: run \`apt-get update && apt-get install -y chromium\` (.ci/run does this in CI).`);
  }
  const profile = await mkdtemp(path.join(os.tmpdir(), 'daybreak-chromium-'));
  let context: BrowserContext;
  try {
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      args: ARGS,
      headless: true,
      acceptDownloads: true,
      viewport: { width: 1200, height: 800 },
      locale: 'en-NZ',
    });
  } catch (error) {
    await rm(profile, { recursive: true, force: true });
    throw error;
  }
  const page = context.pages()[0] ?? (await context.newPage());
  // Under load (two cores, the whole suite) a view can take longer than Playwright's 30 s default.
  page.setDefaultTimeout(60_000);
  return {
    context,
    page,
    async close() {
      await context.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}

const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

type AxeViolation = { id: string; impact: string | null; help: string; nodes: { target: unknown[] }[] };

/** axe-core on the page as it stands: the serious and critical violations (none expected). */
export async function seriousViolations(page: Page): Promise<string[]> {
  // Evaluated through the DevTools protocol, which the page's CSP does not govern (a script tag would be refused),
  // so the tests run the console under the CSP it ships with.
  await page.evaluate(AXE_SOURCE);
  const violations = await page.evaluate(async () => {
    const axe = (globalThis as unknown as { axe: { run(): Promise<{ violations: AxeViolation[]; passes: unknown[] }> } }).axe;
    const results = await axe.run();
    // No passes at all would mean axe saw no page, not a clean one.
    if (results.passes.length === 0) throw new Error('axe-core checked nothing on this page.');
    return results.violations;
  });
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.impact} ${v.id}: ${v.help} (${v.nodes.map((n) => JSON.stringify(n.target)).join(', ')})`);
}

/** A full-page screenshot under SCREENSHOTS, named for the view. */
export async function screenshot(page: Page, name: string): Promise<void> {
  await mkdir(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

/** Photographs the view and runs axe-core on it: no serious or critical violation. */
export async function checkView(browser: Browser, name: string): Promise<void> {
  await screenshot(browser.page, name);
  expect({ view: name, violations: await seriousViolations(browser.page) }).toEqual({ view: name, violations: [] });
}

/** A person signed in through the development sign-in page, landing on `returnTo`; `mfa`: the token says so. */
export async function signedIn(baseUrl: string, org: string, roles: string[], sub: string, returnTo: string, options: { mfa?: boolean } = {}): Promise<Browser> {
  const browser = await openBrowser();
  const { page } = browser;
  try {
    await page.goto(`${baseUrl}/dev/sign-in?return=${encodeURIComponent(returnTo)}`);
    await page.getByLabel('Organisation id').fill(org);
    for (const role of roles) await page.getByRole('checkbox', { name: role, exact: true }).check();
    await page.getByLabel('User id').fill(sub);
    if (options.mfa) await page.getByLabel('Signed in with multi-factor authentication').check();
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`${baseUrl}${returnTo}`);
  } catch (error) {
    await browser.close();
    throw error;
  }
  return browser;
}
