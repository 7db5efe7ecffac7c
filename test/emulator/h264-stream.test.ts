// The emulator's H.264 encoder, checked against a real decoder: ffmpeg decodes the stream and
// every pixel must be the level the encoder says its tile decodes to, in every frame.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { annexB } from '../../src/emulator/video/bit-writer.js';
import { encodeH264, mbGrid } from '../../src/emulator/video/h264-stream.js';
import { shotPicture } from '../../src/emulator/video/shot-picture.js';
import { decodeYuv, ffmpegOrSkip } from '../helpers/ffmpeg.js';

/** Encodes `tiles` at width×height, decodes `frames` frames with ffmpeg, returns the YUV bytes. */
async function roundTrip(width: number, height: number, tiles: Uint8Array, cb: number, cr: number, frames: number) {
  const stream = encodeH264({ width, height, tiles, cb, cr });
  const units = [stream.sps, stream.pps, stream.idr];
  for (let n = 1; n < frames; n++) units.push(stream.skipped(n));
  const dir = await mkdtemp(path.join(tmpdir(), 'pixverse-h264-'));
  try {
    const file = path.join(dir, 'v.h264');
    await writeFile(file, annexB(units));
    return { stream, yuv: await decodeYuv(file, frames) };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function pseudoRandomTiles(count: number, seed: number): Uint8Array {
  const tiles = new Uint8Array(count);
  let s = seed;
  for (let i = 0; i < count; i++) {
    s = (s * 1103515245 + 12345) >>> 0;
    tiles[i] = s >>> 24;
  }
  return tiles;
}

describe('H.264 stream of the emulator', () => {
  for (const [width, height] of [
    [16, 16],
    [640, 360],
    [1108, 830], // not a multiple of 16: cropped in the SPS
    [720, 1280],
  ] as const) {
    it(`${width}×${height}: ffmpeg decodes every pixel of every frame to the tile's predicted level`, async (t) => {
      if (!(await ffmpegOrSkip(t))) return;
      const { cols, rows } = mbGrid(width, height);
      // Full-range levels, neighbours far apart: the worst case for the prediction arithmetic.
      const tiles = pseudoRandomTiles(cols * rows, width * height);
      const frames = 3;
      const { stream, yuv } = await roundTrip(width, height, tiles, 60, 200, frames);
      const frameBytes = (width * height * 3) / 2;
      assert.equal(yuv.length, frames * frameBytes, 'the decoder gave every frame at the full size');
      let worst = 0;
      for (let i = 0; i < tiles.length; i++) worst = Math.max(worst, Math.abs(tiles[i]! - stream.decoded[i]!));
      assert.ok(worst <= 1, `each tile within 1 of the level asked (worst ${worst})`);
      for (let f = 0; f < frames; f++) {
        const base = f * frameBytes;
        for (let y = 0; y < height; y++) {
          for (let x = 0; x < width; x++) {
            const want = stream.decoded[Math.floor(y / 16) * cols + Math.floor(x / 16)];
            if (yuv[base + y * width + x] !== want) assert.fail(`frame ${f} pixel ${x},${y}: ${yuv[base + y * width + x]} ≠ ${want}`);
          }
        }
        const chroma = yuv.subarray(base + width * height, base + frameBytes);
        const quarter = (width * height) / 4;
        assert.ok(chroma.subarray(0, quarter).every((v) => Math.abs(v - 60) <= 1), `frame ${f}: Cb flat at the tint`);
        assert.ok(chroma.subarray(quarter).every((v) => Math.abs(v - 200) <= 1), `frame ${f}: Cr flat at the tint`);
      }
    });
  }

  it('names its level from the picture size (the codec string browsers read)', () => {
    const codec = (w: number, h: number) => encodeH264({ width: w, height: h, tiles: new Uint8Array(mbGrid(w, h).cols * mbGrid(w, h).rows), cb: 128, cr: 128 }).codec;
    assert.equal(codec(640, 360), 'avc1.42C01E');
    assert.equal(codec(1280, 720), 'avc1.42C01F');
    assert.equal(codec(1920, 1080), 'avc1.42C028');
    assert.equal(codec(2560, 1440), 'avc1.42C032');
  });

  it('refuses a size 4:2:0 cannot hold (odd) and a tile list of the wrong length', () => {
    assert.throws(() => encodeH264({ width: 641, height: 360, tiles: new Uint8Array(0), cb: 128, cr: 128 }), /even size/);
    assert.throws(() => encodeH264({ width: 640, height: 360, tiles: new Uint8Array(3), cb: 128, cr: 128 }), /expected 920 tiles/);
  });
});

describe('the picture of a shot', () => {
  it('differs with the request and with the seed, and is the same for the same request', () => {
    const a = shotPicture({ width: 640, height: 360, identity: 'body-a', label: '11' });
    const b = shotPicture({ width: 640, height: 360, identity: 'body-b', label: '11' });
    const c = shotPicture({ width: 640, height: 360, identity: 'body-a', label: '12' });
    const again = shotPicture({ width: 640, height: 360, identity: 'body-a', label: '11' });
    const same = (x: typeof a, y: typeof a) => x.cb === y.cb && x.cr === y.cr && Buffer.from(x.tiles).equals(Buffer.from(y.tiles));
    assert.ok(!same(a, b), 'another request: another tint or pattern');
    assert.ok(!Buffer.from(a.tiles).equals(Buffer.from(c.tiles)), 'another seed: other digits');
    assert.ok(same(a, again));
  });

  it('writes the seed in white on a dark plate in the middle', () => {
    const p = shotPicture({ width: 1280, height: 720, identity: 'x', label: '8' });
    const { cols, rows } = mbGrid(1280, 720);
    const values = new Set(p.tiles);
    assert.ok(values.has(235) && values.has(16), 'digit and plate levels present');
    const middleRow = Math.floor(rows / 2);
    const row = [...p.tiles.subarray(middleRow * cols, (middleRow + 1) * cols)];
    assert.ok(row.includes(235), 'the digit crosses the middle row');
  });
});
