// Draws the app's PNG icons (public/icons/icon-*.png) with pngjs, so they are
// reproducible from source: `npx tsx test/pwa/icons.ts` rewrites them, and
// test/pwa/icons.test.ts checks the committed files match this drawing.
import { PNG } from 'pngjs';
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const RED = [0xb7, 0x1c, 0x1c] as const;
const WHITE = [0xff, 0xff, 0xff] as const;

/** The icons the web app manifest lists: file, size, and whether it is maskable. */
export const ICONS = [
  { file: 'public/icons/icon-192.png', size: 192, maskable: false },
  { file: 'public/icons/icon-512.png', size: 512, maskable: false },
  { file: 'public/icons/icon-maskable-512.png', size: 512, maskable: true },
] as const;

/**
 * A red tile with a white notice sheet and three red text lines. The maskable
 * variant is full-bleed with the sheet inside the central 60 % safe zone; the
 * plain one has rounded corners like icon.svg.
 */
export function drawIcon(size: number, maskable: boolean): Buffer {
  const png = new PNG({ width: size, height: size });
  const s = (f: number) => Math.round(f * size);
  const radius = maskable ? 0 : s(96 / 512);
  const scale = maskable ? 0.6 : 0.78;
  const sheet = { x0: s(0.5 - scale * 0.32), x1: s(0.5 + scale * 0.32) };
  const sheetY = { y0: s(0.5 - scale * 0.4), y1: s(0.5 + scale * 0.4) };
  const lines = [0.28, 0.46, 0.64].map((f) => {
    const y0 = sheetY.y0 + Math.round((sheetY.y1 - sheetY.y0) * f);
    return { y0, y1: y0 + Math.max(2, s(scale * 0.06)) };
  });
  const pad = Math.max(2, s(scale * 0.08));
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const i = (y * size + x) * 4;
      let alpha = 255;
      if (radius > 0) {
        const cx = x < radius ? radius : x >= size - radius ? size - radius - 1 : x;
        const cy = y < radius ? radius : y >= size - radius ? size - radius - 1 : y;
        if ((x - cx) ** 2 + (y - cy) ** 2 > radius ** 2) alpha = 0;
      }
      const inSheet = x >= sheet.x0 && x < sheet.x1 && y >= sheetY.y0 && y < sheetY.y1;
      const onLine =
        inSheet &&
        x >= sheet.x0 + pad &&
        x < sheet.x1 - pad &&
        lines.some((l) => y >= l.y0 && y < l.y1);
      const [r, g, b] = inSheet && !onLine ? WHITE : RED;
      png.data[i] = r;
      png.data[i + 1] = g;
      png.data[i + 2] = b;
      png.data[i + 3] = alpha;
    }
  }
  return PNG.sync.write(png);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  for (const icon of ICONS) writeFileSync(icon.file, drawIcon(icon.size, icon.maskable));
}
