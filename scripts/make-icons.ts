/**
 * Renders public/icons/icon.svg to the PNG icons the web app manifest lists (192/512 px, plain
 * and maskable) with headless Chromium. Run `npm run icons` after editing the SVG; the PNGs are
 * committed.
 */
import { readFileSync } from 'node:fs';
import { chromium } from 'playwright-core';

const svg = readFileSync('public/icons/icon.svg', 'utf8');
const browser = await chromium.launch({ executablePath: process.env.CHROME_PATH ?? '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
const page = await browser.newPage();
for (const size of [192, 512]) {
  for (const maskable of [false, true]) {
    // Maskable: full-bleed background, artwork inside the central 80 % safe zone.
    const inner = maskable ? Math.round(size * 0.8) : size;
    const background = maskable ? '#0b57d0' : 'transparent';
    await page.setViewportSize({ width: size, height: size });
    await page.setContent(
      `<body style="margin:0;background:${background};display:grid;place-items:center;width:${size}px;height:${size}px">` +
        `<div style="width:${inner}px;height:${inner}px">${svg.replace('<svg ', `<svg width="${inner}" height="${inner}" `)}</div></body>`,
    );
    const path = `public/icons/${maskable ? 'maskable' : 'icon'}-${size}.png`;
    await page.screenshot({ path, omitBackground: !maskable });
    console.log(`wrote ${path}`);
  }
}
await browser.close();
