// Takes docs/img/themed-pin.png: demo/themed.html (a pin styled by tokens and parts only) in Debian's
// Chromium. Run after `npm run build`: `npm run docs:screenshot`. Not part of `npm run docs`: a PNG
// depends on the machine's fonts, so CI does not compare it.
import { createServer } from 'node:http';
import puppeteer from 'puppeteer-core';
import { createDemoApp } from '../demo/server.mjs';

const app = await createDemoApp();
const server = createServer((req, res) => app.handle(req, res) || (res.statusCode = 404, res.end()));
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const origin = `http://127.0.0.1:${server.address().port}`;
const browser = await puppeteer.launch({
  executablePath: process.env.CHROME_PATH || '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--hide-scrollbars'],
});
try {
  const page = await browser.newPage();
  await page.setViewport({ width: 468, height: 400, deviceScaleFactor: 2 });
  await page.goto(`${origin}/demo/themed.html`, { waitUntil: 'networkidle0' });
  // Ready when the pin shows its product, with the image decoded.
  await page.waitForFunction(() => {
    const root = document.querySelector('kol-product-pin')?.shadowRoot;
    const image = root?.querySelector('[part~=image] img, img[part~=image]');
    return root?.querySelector('[part~=title]')?.textContent?.trim() && (!image || image.complete);
  }, { timeout: 10_000 });
  const pin = await page.$('kol-product-pin');
  await pin.screenshot({ path: 'docs/img/themed-pin.png' });
  console.log('docs/img/themed-pin.png written');
} finally {
  await browser.close();
  await app.close();
  server.close();
}
