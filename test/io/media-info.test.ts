// Format and dimensions from magic bytes.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { PACKAGE_ROOT } from '../../src/package-root.js';
import { sniffImage } from '../../src/io/media-info-sniff.js';
import { bmpHeader, gifHeader, jpegHeader, pngHeader, webpHeader } from '../helpers/image-bytes.js';

describe('sniffImage', () => {
  const table: [string, Buffer, object][] = [
    ['PNG RGB', pngHeader(640, 360), { format: 'png', width: 640, height: 360, hasAlpha: false }],
    ['PNG RGBA', pngHeader(10, 20, 6), { format: 'png', width: 10, height: 20, hasAlpha: true }],
    ['JPEG', jpegHeader(1920, 1080), { format: 'jpeg', width: 1920, height: 1080 }],
    ['WEBP VP8X', webpHeader(3000, 2000), { format: 'webp', width: 3000, height: 2000 }],
    ['BMP top-down', bmpHeader(400, 300), { format: 'bmp', width: 400, height: 300 }],
    ['GIF', gifHeader(5, 6), { format: 'gif', width: 5, height: 6 }],
    ['text', Buffer.from('hello, not an image'), {}],
    ['empty', Buffer.alloc(0), {}],
  ];
  for (const [name, bytes, expected] of table) it(name, () => assert.deepEqual(sniffImage(bytes), expected));

  it('reads the committed demo images', () => {
    const dawn = sniffImage(readFileSync(path.join(PACKAGE_ROOT, 'jobs', 'media', 'harbor-dawn.png')));
    assert.deepEqual(dawn, { format: 'png', width: 640, height: 360, hasAlpha: false });
    const keeper = sniffImage(readFileSync(path.join(PACKAGE_ROOT, 'jobs', 'media', 'keeper.jpg')));
    assert.deepEqual(keeper, { format: 'jpeg', width: 360, height: 480 });
  });
});
