import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { PNG } from 'pngjs';
import { ICONS, drawIcon } from './icons.ts';

interface ManifestIcon {
  src: string;
  sizes: string;
  type: string;
  purpose?: string;
}

const manifest = JSON.parse(readFileSync('public/manifest.webmanifest', 'utf8')) as {
  name: string;
  short_name: string;
  start_url: string;
  display: string;
  icons: ManifestIcon[];
};

describe('web app manifest and icons', () => {
  it('has what Chromium needs to install the app', () => {
    expect(manifest.name).toMatch(/政务公开/);
    expect(manifest.short_name.length).toBeLessThanOrEqual(12);
    expect(manifest.start_url).toBe('./');
    expect(['fullscreen', 'standalone']).toContain(manifest.display);
    const png = manifest.icons.filter((i) => i.type === 'image/png');
    expect(png.map((i) => i.sizes)).toEqual(expect.arrayContaining(['192x192', '512x512']));
    expect(manifest.icons.some((i) => i.purpose === 'maskable')).toBe(true);
  });

  it('lists icon files that exist, decode, and have the declared size', () => {
    for (const icon of manifest.icons.filter((i) => i.type === 'image/png')) {
      const img = PNG.sync.read(readFileSync(`public/${icon.src}`));
      expect(`${img.width}x${img.height}`, icon.src).toBe(icon.sizes);
    }
  });

  it('keeps the committed PNGs identical to the drawing in test/pwa/icons.ts', () => {
    for (const icon of ICONS) {
      const committed = PNG.sync.read(readFileSync(icon.file));
      const drawn = PNG.sync.read(drawIcon(icon.size, icon.maskable));
      expect(Buffer.compare(committed.data, drawn.data), icon.file).toBe(0);
    }
  });

  it('fills the maskable icon to the edges and keeps the sheet inside the safe zone', () => {
    const img = PNG.sync.read(drawIcon(512, true));
    const at = (x: number, y: number) =>
      Array.from(img.data.subarray((y * 512 + x) * 4, (y * 512 + x) * 4 + 4));
    expect(at(0, 0)).toEqual([0xb7, 0x1c, 0x1c, 255]);
    // The safe zone is the central circle of radius 40 %: the sheet's corners stay inside.
    for (let y = 0; y < 512; y++)
      for (let x = 0; x < 512; x++) {
        const white = img.data[(y * 512 + x) * 4] === 255;
        if (white) expect(Math.hypot(x - 256, y - 256)).toBeLessThan(0.4 * 512);
      }
    const plain = PNG.sync.read(drawIcon(512, false));
    expect(plain.data[3], 'rounded corner is transparent').toBe(0);
  });
});
