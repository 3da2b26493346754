// Drives the what-if panel of composite-index's HTML report in headless
// Chromium (playwright-core, Debian's /usr/bin/chromium or $CHROMIUM), for
// tests/whatif.rs: for each page and each case, sets the weight sliders and
// the mean as a user would (input and change events), then reads what the page
// shows: each row's unit, score (full precision, data-score), rank and whether
// it is marked as moved, or the error the page reports. Finally presses Reset.
//
// Usage: node whatif.mjs CASES.json OUT.json [SCREENSHOT.png]
import { chromium } from "playwright-core";
import { readFileSync, writeFileSync } from "node:fs";
import { pathToFileURL } from "node:url";

const [casesPath, outPath, shot] = process.argv.slice(2);
const input = JSON.parse(readFileSync(casesPath, "utf8"));
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
  ],
});
const read = (page) =>
  page.evaluate(() => {
    const root = document.getElementById("whatif");
    const rows = [...root.querySelectorAll("tbody tr")].map((r) => ({
      unit: r.dataset.unit,
      score: r.dataset.score,
      rank: r.dataset.rank,
      moved: r.classList.contains("moved"),
    }));
    return { rows, error: root.getAttribute("data-error") };
  });
const out = { pages: [] };
try {
  for (const p of input.pages) {
    const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    const errors = [];
    page.on("pageerror", (e) => errors.push(String(e)));
    await page.goto(pathToFileURL(p.html).href);
    await page.waitForSelector("#whatif tbody tr");
    const result = { initial: await read(page), cases: [], errors };
    for (const c of p.cases) {
      for (const [code, value] of Object.entries(c.weights)) {
        const slider = page.locator(`#whatif input[type=range][data-node="${code}"]`);
        await slider.evaluate((el, v) => {
          el.value = v;
          el.dispatchEvent(new Event("input", { bubbles: true }));
        }, value);
      }
      await page.selectOption("#whatif select.whatif-method", c.method);
      result.cases.push(await read(page));
      if (shot && out.pages.length === 0 && result.cases.length === 1) {
        await page.locator("#whatif").screenshot({ path: shot });
      }
    }
    await page.click("#whatif button.whatif-reset");
    result.reset = await read(page);
    out.pages.push(result);
    await page.close();
  }
} finally {
  await browser.close();
}
writeFileSync(outPath, JSON.stringify(out));
