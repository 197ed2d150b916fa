/**
 * The HTML report as a reader sees it: a real headless Chromium (Debian's `chromium`, driven by
 * playwright-core) opens report.html of a run with failures. No request may leave the file.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunReport } from '../../src/runner/result.js';
import { run } from '../support/suite.js';
import { PassThrough } from 'node:stream';
import { createReporters, endReporters } from '../../src/report/index.js';

/** The system browser (.ci/run installs Debian's chromium); CHROMIUM_PATH overrides. */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/** This test's output folder: the report and the screenshot stay there for a reader of the CI job. */
const OUT = join('.tmp', 'html-report');

let browser: Browser;
let file: string;
let report: RunReport;

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`no Chromium at ${CHROMIUM}: install Debian's chromium (apt-get install chromium) or set CHROMIUM_PATH`);
  report = await run({ faults: ['authn-revocation-cache', 'abac-cidr-broken'], seed: 5 });
  mkdirSync(OUT, { recursive: true });
  const [written] = await endReporters(createReporters(['html'], { stream: new PassThrough(), color: false }), report, { outDir: OUT, stream: new PassThrough(), secrets: [] });
  file = written!;
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
}, 60_000);

afterAll(async () => {
  await browser?.close();
});

describe('report.html in headless Chromium', () => {
  it('shows the verdict, the counts, the matrix and an expanded failing check; filters by status and area; loads nothing', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const requests: string[] = [];
    page.on('request', (r) => requests.push(r.url()));
    await page.goto(pathToFileURL(file).href);

    await expect.poll(() => page.locator('h1.verdict').innerText()).toBe('NOT CONFORMANT');
    // What the reader sees is what the run found (a fuzz check may add a failure of its own).
    const { total, pass, fail, skip } = report.summary;
    expect(fail).toBeGreaterThanOrEqual(2);
    // Skips include the MCP binding's own rules, outside an HTTP run's verdict.
    expect(skip).toBeGreaterThanOrEqual(report.binding?.notApplicable.length ?? 0);
    expect(await page.locator('p.counts').innerText()).toBe(`${total} checks: ${pass} passed, ${fail} failed, ${skip} skipped`);
    // The matrix: the failing requirement's cell is there, coloured as a failure, and links to its check.
    const cell = page.locator('table.matrix a.cell.fail[href="#check-AUTHN-004"]');
    expect(await cell.count()).toBe(1);
    expect(await cell.evaluate((el) => getComputedStyle(el).backgroundColor)).toBe('rgb(179, 38, 30)');

    // A failing check is open: its expected/actual, the request and response, and the replay line are visible.
    const failing = page.locator('details.check.fail#check-AUTHN-004');
    expect(await failing.getAttribute('open')).not.toBeNull();
    expect(await failing.locator('dd.expected').isVisible()).toBe(true);
    expect(await failing.locator('dd.expected').innerText()).toContain('401');
    expect(await failing.locator('dd.actual').innerText()).toContain('200');
    expect(await failing.locator('pre.request').innerText()).toMatch(/^GET \/api\/agent\/v1\//);
    expect(await failing.locator('pre.response').innerText()).toMatch(/^HTTP 200/);
    expect(await failing.locator('pre.replay').innerText()).toMatch(/^openport-conform run --profile state-witness --only AUTHN-004 --seed 5 --fault authn-revocation-cache --fault abac-cidr-broken/);
    await page.screenshot({ path: join(OUT, 'report.png') });

    // A passing check is closed until clicked.
    const passing = page.locator('details.check.pass#check-DISC-001');
    expect(await passing.locator('dl').isVisible()).toBe(false);
    await passing.locator('summary').click();
    expect(await passing.getAttribute('open')).not.toBeNull();

    // Filters: only failures, then only the AUTHN area.
    await page.locator('input[name=status][value=pass]').uncheck();
    await page.locator('input[name=status][value=skip]').uncheck();
    expect(await page.locator('details.check:visible').count()).toBe(fail);
    expect(await page.locator('#shown').innerText()).toBe(`${fail} of ${total} shown`);
    await page.locator('select#area').selectOption('AUTHN');
    expect(await page.locator('details.check:visible').count()).toBe(1);
    expect(await page.locator('details.check:visible b').innerText()).toBe('AUTHN-004');

    expect(requests.filter((u) => !u.startsWith('file:'))).toEqual([]);
    await page.close();
  }, 60_000);

  it('is one file: no external script, style, image or font reference', () => {
    const html = readFileSync(file, 'utf8');
    expect(html).not.toMatch(/<(script|link|img)[^>]+(src|href)=["']?https?:/i);
    expect(html).not.toMatch(/url\(/i);
  });
});
