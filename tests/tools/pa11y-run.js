// HTML_CodeSniffer (WCAG2AA, through pa11y) on a list of pages in one palette, for tests/test_pa11y.py.
// Usage: node pa11y-run.js '{"urls": [...], "scheme": "slate", "chromium": "/usr/bin/chromium"}'
// Prints one JSON object: {"pages": {url: {"scheme": shown, "issues": [...]}}, "blocked": [url, ...]}.
// Debian's chromium, never a downloaded one; every request that leaves the first URL's origin (or file://, for
// the unpacked offline zip) is aborted and listed under "blocked".
"use strict";

const pa11y = require("pa11y");
const puppeteer = require("puppeteer");

const LOCAL = ["data:", "blob:", "about:"];

async function choosePalette(page, scheme) {
  // Material keeps the reader's palette for the whole site: choosing it once, here, holds for every page.
  for (let i = 0; i < 3; i++) {
    const now = await page.evaluate(() => document.body.dataset.mdColorScheme);
    if (now === scheme) return;
    await page.evaluate(() => {
      const toggles = [...document.querySelectorAll("label.md-header__button[for^='__palette']")];
      toggles.find((label) => label.offsetParent !== null).click();
    });
    await page.waitForFunction((before) => document.body.dataset.mdColorScheme !== before, {}, now);
  }
  throw new Error(`the palette toggle never reached ${scheme}`);
}

async function guardedPage(browser, origin, blocked) {
  const page = await browser.newPage();
  // The pages' CSP has no 'unsafe-eval', and pa11y injects HTML_CodeSniffer as a script.
  await page.setBypassCSP(true);
  await page.setRequestInterception(true);
  page.on("request", (request) => {
    const url = request.url();
    if (url.startsWith(origin) || LOCAL.some((prefix) => url.startsWith(prefix))) {
      request.continue();
    } else {
      blocked.push(url);
      request.abort();
    }
  });
  return page;
}

async function main() {
  const { urls, scheme, chromium } = JSON.parse(process.argv[2]);
  const first = new URL(urls[0]);
  const origin = first.protocol === "file:" ? "file://" : first.origin + "/";
  const blocked = [];
  const browser = await puppeteer.launch({
    executablePath: chromium,
    args: ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
      "--disable-component-update", "--disable-sync"],
  });
  const pages = {};
  try {
    const first = await guardedPage(browser, origin, blocked);
    await first.goto(urls[0], { waitUntil: "load" });
    await choosePalette(first, scheme);
    await first.close();
    for (const url of urls) {
      // A new page for each URL (navigating one page from URL to URL stalled puppeteer's navigation).
      const page = await guardedPage(browser, origin, blocked);
      const result = await pa11y(url, {
        browser,
        page,
        runners: ["htmlcs"],
        standard: "WCAG2AA",
        includeNotices: false,
        includeWarnings: false,
        // From disk, the iframe-worker shim runs search's worker in an <iframe hidden>: no reader meets it,
        // but HTML_CodeSniffer's H64 (frame title) ignores `hidden`. Only that frame is left out.
        hideElements: "body > iframe[hidden]",
      });
      const shown = await page.evaluate(() => document.body.dataset.mdColorScheme);
      pages[url] = { scheme: shown, issues: result.issues };
      await page.close();
    }
  } finally {
    await browser.close();
  }
  process.stdout.write(JSON.stringify({ pages, blocked }));
}

main().catch((error) => {
  process.stderr.write(String(error && error.stack ? error.stack : error) + "\n");
  process.exit(2);
});
