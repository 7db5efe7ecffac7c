// A minimal H.264 (Constrained Baseline) encoder for the emulator's videos: one IDR picture of
// flat 16×16 tiles, each tile a luma level chosen by the caller, the whole picture one chroma
// tint; then P pictures whose every macroblock is skipped (a copy of the IDR picture). That is
// enough for a real, browser-playable file of any size and length at a few bytes per frame,
// with no encoder library and no ffmpeg.
//
// Each tile is an Intra_16x16 macroblock with DC prediction and one coded coefficient, the DC of
// the luma DC block, which moves the whole tile by the same amount. The encoder runs the
// decoder's own arithmetic (prediction from the neighbouring tiles, the dequantisation and the
// inverse transform: ITU-T H.264 §8.3.1.2.3, §8.5.10, §8.5.12) so it knows each tile's decoded
// level and can predict the next. Deblocking is off, so tiles keep sharp edges.
import { BitWriter, nalUnit } from './bit-writer.js';

/** Luma QP of every picture: 26 + pic_init_qp_minus26 (−2). */
const QP = 24;
/** log2(MaxFrameNum): frame_num is a 16-bit field. */
const LOG2_MAX_FRAME_NUM = 16;

export interface PictureSpec {
  width: number;
  height: number;
  /** Wanted luma (0–255) per 16×16 tile, row by row: ceil(width/16) × ceil(height/16) values. */
  tiles: Uint8Array;
  /** Chroma of the whole picture (128 = grey). */
  cb: number;
  cr: number;
}

export interface H264Stream {
  sps: Uint8Array;
  pps: Uint8Array;
  /** The IDR picture's slice NAL unit. */
  idr: Uint8Array;
  /** The n-th P picture after the IDR (n ≥ 1): every macroblock skipped. */
  skipped(n: number): Uint8Array;
  /** `avc1.42C0xx`, as MP4 and browsers name the profile and level. */
  codec: string;
  /** The tile levels the decoder will produce (what tests compare pixels with). */
  decoded: Uint8Array;
}

export function mbGrid(width: number, height: number): { cols: number; rows: number } {
  return { cols: Math.ceil(width / 16), rows: Math.ceil(height / 16) };
}

export function encodeH264(spec: PictureSpec): H264Stream {
  if (spec.width % 2 || spec.height % 2 || spec.width < 16 || spec.height < 16) {
    throw new RangeError(`an H.264 4:2:0 picture needs an even size of at least 16×16, not ${spec.width}×${spec.height}`);
  }
  const { cols, rows } = mbGrid(spec.width, spec.height);
  if (spec.tiles.length !== cols * rows) throw new RangeError(`expected ${cols * rows} tiles, got ${spec.tiles.length}`);
  const level = levelIdc(cols * rows);
  const sps = nalUnit(3, 7, seqParameterSet(spec.width, spec.height, cols, rows, level));
  const pps = nalUnit(3, 8, picParameterSet());
  const { rbsp, decoded } = idrSlice(spec, cols, rows);
  const idr = nalUnit(3, 5, rbsp);
  const skipped = (n: number): Uint8Array => nalUnit(2, 1, skipSlice(n % 2 ** LOG2_MAX_FRAME_NUM, cols * rows));
  return { sps, pps, idr, skipped, codec: `avc1.42C0${level.toString(16).padStart(2, '0').toUpperCase()}`, decoded };
}

/** The lowest level whose frame size limit (MaxFS, Table A-1) holds the picture at 30 fps. */
function levelIdc(macroblocks: number): number {
  const levels: Array<[number, number, number]> = [
    [30, 1620, 40500],
    [31, 3600, 108000],
    [40, 8192, 245760],
    [42, 8704, 522240],
    [50, 22080, 589824],
    [51, 36864, 983040],
  ];
  for (const [idc, maxFs, maxMbps] of levels) if (macroblocks <= maxFs && macroblocks * 30 <= maxMbps) return idc;
  return 52;
}

function seqParameterSet(width: number, height: number, cols: number, rows: number, level: number): Uint8Array {
  const w = new BitWriter();
  w.u(8, 66).u(8, 0xc0).u(8, level); // Baseline, constraint_set0+1 (Constrained Baseline)
  w.ue(0); // seq_parameter_set_id
  w.ue(LOG2_MAX_FRAME_NUM - 4);
  w.ue(2); // pic_order_cnt_type 2: output order is decoding order, nothing to signal
  w.ue(1); // max_num_ref_frames
  w.bit(0); // gaps_in_frame_num_value_allowed_flag
  w.ue(cols - 1).ue(rows - 1);
  w.bit(1); // frame_mbs_only_flag
  w.bit(1); // direct_8x8_inference_flag
  const cropRight = (cols * 16 - width) / 2; // in 2-sample units (4:2:0)
  const cropBottom = (rows * 16 - height) / 2;
  if (cropRight || cropBottom) w.bit(1).ue(0).ue(cropRight).ue(0).ue(cropBottom);
  else w.bit(0);
  // VUI: only bitstream_restriction, telling decoders that no picture waits for reordering.
  w.bit(1);
  w.bit(0).bit(0).bit(0).bit(0); // aspect ratio, overscan, video signal type, chroma location
  w.bit(0).bit(0).bit(0).bit(0); // timing, NAL HRD, VCL HRD, pic_struct
  w.bit(1); // bitstream_restriction_flag
  w.bit(1).ue(0).ue(0).ue(16).ue(16); // mvs over boundaries, bytes/bits limits, mv lengths
  w.ue(0).ue(1); // max_num_reorder_frames, max_dec_frame_buffering
  return w.trailing();
}

function picParameterSet(): Uint8Array {
  const w = new BitWriter();
  w.ue(0).ue(0); // pic and seq parameter set ids
  w.bit(0); // CAVLC
  w.bit(0); // bottom_field_pic_order_in_frame_present_flag
  w.ue(0); // one slice group
  w.ue(0).ue(0); // num_ref_idx_l0/l1_default_active_minus1
  w.bit(0).u(2, 0); // no weighted prediction
  w.se(QP - 26).se(0).se(0); // pic_init_qp, pic_init_qs, chroma_qp_index_offset
  w.bit(1); // deblocking_filter_control_present_flag: the slices turn it off
  w.bit(0).bit(0); // constrained_intra_pred, redundant_pic_cnt_present
  return w.trailing();
}

function sliceHeader(w: BitWriter, idr: boolean, frameNum: number): void {
  w.ue(0); // first_mb_in_slice
  w.ue(idr ? 7 : 5); // I or P, every slice of the picture
  w.ue(0); // pic_parameter_set_id
  w.u(LOG2_MAX_FRAME_NUM, frameNum);
  if (idr) w.ue(0); // idr_pic_id
  else w.bit(0).bit(0); // num_ref_idx_active_override_flag, ref_pic_list_modification_flag_l0
  if (idr) w.bit(0).bit(0); // no_output_of_prior_pics, long_term_reference
  else w.bit(0); // adaptive_ref_pic_marking_mode_flag: sliding window
  w.se(0); // slice_qp_delta
  w.ue(1); // disable_deblocking_filter_idc
}

function skipSlice(frameNum: number, macroblocks: number): Uint8Array {
  const w = new BitWriter();
  sliceHeader(w, false, frameNum);
  w.ue(macroblocks); // mb_skip_run: the whole picture
  return w.trailing();
}

/** Decoded residual of a luma tile whose DC-of-DC coefficient is `level` (QP 24, flat scaling). */
const lumaDelta = (level: number): number => (40 * level + 32) >> 6;
/** The same for a chroma 4×4 block from the chroma DC block's first coefficient (QPc 24). */
const chromaDelta = (level: number): number => (80 * level + 32) >> 6;
const clip = (v: number): number => Math.max(0, Math.min(255, v));

/** The coefficient that brings `predicted` closest to `wanted` through `delta`. */
function bestLevel(predicted: number, wanted: number, delta: (l: number) => number, step: number): number {
  const guess = Math.round((wanted - predicted) / step);
  let best = 0;
  let bestError = Infinity;
  for (let l = guess - 2; l <= guess + 2; l++) {
    const error = Math.abs(clip(predicted + delta(l)) - wanted);
    if (error < bestError || (error === bestError && Math.abs(l) < Math.abs(best))) [best, bestError] = [l, error];
  }
  return best;
}

function idrSlice(spec: PictureSpec, cols: number, rows: number): { rbsp: Uint8Array; decoded: Uint8Array } {
  const w = new BitWriter();
  sliceHeader(w, true, 0);
  const decoded = new Uint8Array(cols * rows);
  // Chroma: the first macroblock has no neighbours (prediction 128) and carries the tint; every
  // later one predicts the same flat value from its neighbours and codes nothing.
  const cbLevel = bestLevel(128, spec.cb, chromaDelta, 1.25);
  const crLevel = bestLevel(128, spec.cr, chromaDelta, 1.25);
  for (let y = 0; y < rows; y++) {
    for (let x = 0; x < cols; x++) {
      const i = y * cols + x;
      const top = y > 0 ? decoded[i - cols]! : undefined;
      const left = x > 0 ? decoded[i - 1]! : undefined;
      // Intra_16x16 DC prediction over flat neighbours (§8.3.3.3).
      const predicted = top !== undefined && left !== undefined ? (top + left + 1) >> 1 : (top ?? left ?? 128);
      const level = bestLevel(predicted, spec.tiles[i]!, lumaDelta, 0.625);
      decoded[i] = clip(predicted + lumaDelta(level));
      const chroma = i === 0 && (cbLevel !== 0 || crLevel !== 0);
      // mb_type I_16x16_2_<cbp chroma>_0: DC prediction, chroma DC coded or not, no luma AC.
      w.ue(chroma ? 7 : 3);
      w.ue(0); // intra_chroma_pred_mode: DC
      w.se(0); // mb_qp_delta
      writeSingleCoefficient(w, level, false);
      if (chroma) {
        writeSingleCoefficient(w, cbLevel, true);
        writeSingleCoefficient(w, crLevel, true);
      }
    }
  }
  return { rbsp: w.trailing(), decoded };
}

/**
 * A CAVLC residual block (§9.2) holding one coefficient, at scan position 0. Luma DC blocks here
 * always have nC = 0 (no neighbour codes AC coefficients); chroma DC blocks use nC = −1.
 */
function writeSingleCoefficient(w: BitWriter, level: number, chromaDc: boolean): void {
  if (level === 0) {
    w.code(chromaDc ? '01' : '1'); // coeff_token: TotalCoeff 0
    return;
  }
  if (Math.abs(level) === 1) {
    w.code(chromaDc ? '1' : '01'); // TrailingOnes 1, TotalCoeff 1
    w.bit(level < 0 ? 1 : 0); // trailing_ones_sign_flag
  } else {
    w.code(chromaDc ? '000111' : '000101'); // TrailingOnes 0, TotalCoeff 1
    // levelCode, less the 2 the decoder adds to the first level after fewer than 3 trailing ones;
    // suffixLength 0, so prefix 14 takes a 4-bit suffix and prefix 15 a 12-bit one.
    const code = (level > 0 ? 2 * level - 2 : -2 * level - 1) - 2;
    if (code < 14) w.u(code, 0).bit(1);
    else if (code < 30) w.u(14, 0).bit(1).u(4, code - 14);
    else w.u(15, 0).bit(1).u(12, code - 30);
  }
  w.bit(1); // total_zeros 0 (TotalCoeff 1: the code "1" in both tables)
}
