// What an emulator video shows, so that every shot's video looks different and a swapped video
// is seen at a glance: a tint and a stripe pattern drawn from a hash of the request, and the
// request's seed written large in the middle. Drawn in 16×16 tiles (the encoder's unit).
import { createHash } from 'node:crypto';
import { mbGrid, type PictureSpec } from './h264-stream.js';

// 3×5 digits, one string per row ('#' lit).
const DIGITS: Record<string, readonly string[]> = {
  '0': ['###', '#.#', '#.#', '#.#', '###'],
  '1': ['.#.', '##.', '.#.', '.#.', '###'],
  '2': ['###', '..#', '###', '#..', '###'],
  '3': ['###', '..#', '.##', '..#', '###'],
  '4': ['#.#', '#.#', '###', '..#', '..#'],
  '5': ['###', '#..', '###', '..#', '###'],
  '6': ['###', '#..', '###', '#.#', '###'],
  '7': ['###', '..#', '.#.', '.#.', '.#.'],
  '8': ['###', '#.#', '###', '#.#', '###'],
  '9': ['###', '#.#', '###', '..#', '###'],
};

export interface PictureInput {
  width: number;
  height: number;
  /** Any text that differs between shots (the canonical request body). */
  identity: string;
  /** Written in the middle when it fits (the request's seed). */
  label: string;
}

export function shotPicture(input: PictureInput): PictureSpec {
  const { cols, rows } = mbGrid(input.width, input.height);
  const h = createHash('sha256').update(input.identity).digest();
  const hue = (h[0]! / 256) * 2 * Math.PI;
  const period = 4 + (h[1]! % 5);
  const slant = h[2]! % 2 ? 1 : -1;
  const tiles = new Uint8Array(cols * rows);
  for (let y = 0; y < rows; y++) {
    for (let x = 0; x < cols; x++) {
      const ramp = 50 + Math.round((110 * x) / Math.max(1, cols - 1));
      const stripe = (((x + slant * y) % period) + period) % period < period / 2 ? 45 : 0;
      tiles[y * cols + x] = ramp + stripe;
    }
  }
  drawLabel(tiles, cols, rows, input.label.replace(/[^0-9]/g, ''));
  return {
    width: input.width,
    height: input.height,
    tiles,
    cb: Math.round(128 + 56 * Math.cos(hue)),
    cr: Math.round(128 + 56 * Math.sin(hue)),
  };
}

/** The digits in white on a dark plate, as large as fits in the middle; the last ones if not all fit. */
function drawLabel(tiles: Uint8Array, cols: number, rows: number, digits: string): void {
  if (!digits) return;
  const fit = Math.min(digits.length, Math.floor((cols - 2) / 4));
  if (fit < 1 || rows < 7) return;
  const text = digits.slice(-fit);
  const scale = Math.max(1, Math.min(Math.floor((cols - 2) / (4 * text.length)), Math.floor((rows * 0.6) / 5)));
  const width = (4 * text.length - 1) * scale;
  const x0 = Math.floor((cols - width) / 2);
  const y0 = Math.floor((rows - 5 * scale) / 2);
  for (let y = y0 - 1; y < y0 + 5 * scale + 1; y++) for (let x = x0 - 1; x < x0 + width + 1; x++) set(tiles, cols, rows, x, y, 16);
  [...text].forEach((d, i) => {
    DIGITS[d]!.forEach((row, gy) => {
      [...row].forEach((c, gx) => {
        if (c !== '#') return;
        for (let sy = 0; sy < scale; sy++) for (let sx = 0; sx < scale; sx++) set(tiles, cols, rows, x0 + (i * 4 + gx) * scale + sx, y0 + gy * scale + sy, 235);
      });
    });
  });
}

function set(tiles: Uint8Array, cols: number, rows: number, x: number, y: number, v: number): void {
  if (x >= 0 && y >= 0 && x < cols && y < rows) tiles[y * cols + x] = v;
}
