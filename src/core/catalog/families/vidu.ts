// Vidu (生数) q2 and q3 on Model Studio: text, image (one `image`), start-end (two `image`s: the
// first opens, the second closes) and reference (1–7 `image`s; q2-pro also `video`s). Beijing
// only; resolution 540P/720P/1080P, with an optional `size` from the tier's row on text and
// reference; sound only on q3, off by default. Sources (help.aliyun.com/zh/model-studio/…, copies
// in modelstudioai/skills …/video-generation-api/, 2026-05-28): vidu-text-to-video-api-reference,
// vidu-image-to-video-api-reference, vidu-keyframe-to-video-api-reference,
// vidu-reference-to-video-api-reference; rate-limit (Vidu系列); model-pricing (Vidu).
import type { Tier, Variant } from '../../types.js';
import type { FileLimits, MediaRule, ModelEntry, PriceRule, SizeTable, UrlRule } from '../model-entry.js';
import { MB, SEED } from './common.js';
import { VIDEO_SYNTHESIS_PATH } from './paths.js';

const PAGE = 'https://help.aliyun.com/zh/model-studio/';
const PAGES = { t2v: `${PAGE}vidu-text-to-video-api-reference`, i2v: `${PAGE}vidu-image-to-video-api-reference`, kf2v: `${PAGE}vidu-keyframe-to-video-api-reference`, r2v: `${PAGE}vidu-reference-to-video-api-reference` } as const;
const RATE_LIMIT = `${PAGE}rate-limit (Vidu系列)`;
const PRICING = `${PAGE}model-pricing (Vidu)`;

// "必须为公网可访问的URL … HTTP 或 HTTPS"; oss:// (a local file) is not named: a warning.
const URLS: UrlRule = {
  schemes: ['http', 'https', 'oss'],
  source: `${PAGES.i2v} (media.url)`,
  undocumented: { schemes: ['oss'], note: 'the Vidu pages ask for public HTTP(S) URLs' },
};
/** "JPG、JPEG、PNG、WEBP; 1:4～4:1; ≤ 50MB". */
const IMAGE: FileLimits = { formats: ['jpg', 'jpeg', 'png', 'webp'], maxBytes: 50 * MB, ratio: { min: 0.25, max: 4 } };
/** q2-pro reference videos: "mp4、avi、mov; 1:4～4:1; 1～8 s (two videos: 1～5 s each); ≤ 50MB". */
const VIDEO: FileLimits = { formats: ['mp4', 'mov'], maxBytes: 50 * MB, ratio: { min: 0.25, max: 4 }, seconds: { min: 1, max: 8 } };

/** The size rows of the text and reference pages (1080P 1:1 is 1808*1808, as on PixVerse v5.6). */
const SIZES: SizeTable = {
  '540P': ['1024*576', '576*1024', '1024*1024', '1024*768', '768*1024'],
  '720P': ['1280*720', '720*1280', '1280*1280', '1280*960', '960*1280'],
  '1080P': ['1920*1080', '1080*1920', '1808*1808', '1920*1440', '1440*1920'],
};

type Kind = 'text2video' | 'img2video' | 'start-end2video' | 'reference2video';
const VARIANT: Record<Kind, Variant> = { text2video: 't2v', img2video: 'i2v', 'start-end2video': 'kf2v', reference2video: 'r2v' };
const SOURCE: Record<Kind, string> = { text2video: PAGES.t2v, img2video: PAGES.i2v, 'start-end2video': PAGES.kf2v, reference2video: PAGES.r2v };

const image = (min: number, max: number) => ({ type: 'image', kind: 'image' as const, role: 'reference-image' as const, min, max, urls: URLS, limits: IMAGE });

function media(kind: Kind, withVideo: boolean): MediaRule {
  switch (kind) {
    case 'text2video':
      return { shape: 'none', slots: [] };
    case 'img2video':
      // "图像素材有且只有1张".
      return { shape: 'list', slots: [{ ...image(1, 1), role: 'first-frame' }] };
    case 'start-end2video':
      // "图像素材有且只有2张 … 第一个image表示首帧，第二个image表示尾帧".
      return { shape: 'list', slots: [{ ...image(2, 2), role: 'first-frame' }], order: 'the first image is the first frame, the second the last frame' };
    case 'reference2video':
      // "图像数量为1～7张"; q2-pro with videos: "图像数量为1～4张，视频数量为1～2个".
      return withVideo
        ? { shape: 'list', slots: [image(1, 7), { type: 'video', kind: 'video', role: 'reference-video', min: 0, max: 2, urls: URLS, limits: VIDEO }] }
        : { shape: 'list', slots: [image(1, 7)] };
  }
}

interface Row {
  model: string;
  kind: Kind;
  q3: boolean;
  tiers: readonly Tier[];
  price: readonly number[];
}

const ALL: readonly Tier[] = ['540P', '720P', '1080P'];
const HIGH: readonly Tier[] = ['720P', '1080P'];
const ROWS: readonly Row[] = [
  { model: 'viduq3-pro', kind: 'text2video', q3: true, tiers: ALL, price: [0.3125, 0.78125, 0.9375] },
  { model: 'viduq3-turbo', kind: 'text2video', q3: true, tiers: ALL, price: [0.25, 0.375, 0.4375] },
  { model: 'viduq2', kind: 'text2video', q3: false, tiers: ALL, price: [0.1125, 0.21875, 0.375] },
  { model: 'viduq3-pro', kind: 'img2video', q3: true, tiers: ALL, price: [0.3125, 0.78125, 0.9375] },
  { model: 'viduq3-turbo', kind: 'img2video', q3: true, tiers: ALL, price: [0.25, 0.375, 0.4375] },
  { model: 'viduq2-pro-fast', kind: 'img2video', q3: false, tiers: HIGH, price: [0.1, 0.2] },
  { model: 'viduq2-pro', kind: 'img2video', q3: false, tiers: ALL, price: [0.15625, 0.34375, 0.71875] },
  { model: 'viduq2-turbo', kind: 'img2video', q3: false, tiers: ALL, price: [0.0875, 0.25, 0.46875] },
  { model: 'viduq3-pro', kind: 'start-end2video', q3: true, tiers: ALL, price: [0.3125, 0.78125, 0.9375] },
  { model: 'viduq3-turbo', kind: 'start-end2video', q3: true, tiers: ALL, price: [0.25, 0.375, 0.4375] },
  { model: 'viduq2-pro', kind: 'start-end2video', q3: false, tiers: ALL, price: [0.15625, 0.34375, 0.71875] },
  { model: 'viduq2-turbo', kind: 'start-end2video', q3: false, tiers: ALL, price: [0.0875, 0.25, 0.46875] },
  { model: 'viduq3-mix', kind: 'reference2video', q3: true, tiers: HIGH, price: [0.78125, 0.9375] },
  { model: 'viduq3', kind: 'reference2video', q3: true, tiers: ALL, price: [0.3125, 0.625, 0.78125] },
  { model: 'viduq3-turbo', kind: 'reference2video', q3: true, tiers: ALL, price: [0.15625, 0.3125, 0.40625] },
  { model: 'viduq2-pro', kind: 'reference2video', q3: false, tiers: ALL, price: [0.25, 0.3125, 0.78125] },
  { model: 'viduq2', kind: 'reference2video', q3: false, tiers: ALL, price: [0.21875, 0.28125, 0.71875] },
];

function entry(row: Row): ModelEntry {
  const name = `vidu/${row.model}_${row.kind}`;
  const sized = row.kind === 'text2video' || row.kind === 'reference2video';
  const q2ProRef = row.model === 'viduq2-pro' && row.kind === 'reference2video';
  const sizes: SizeTable = Object.fromEntries(row.tiers.map((t) => [t, SIZES[t]!]));
  const perSecond: PriceRule['perSecond'] = Object.fromEntries(row.tiers.map((t, i) => [t, row.price[i]!]));
  return {
    name,
    vendor: 'vidu',
    family: row.q3 ? 'vidu-q3' : 'vidu-q2',
    variant: VARIANT[row.kind],
    sources: [SOURCE[row.kind], RATE_LIMIT, PRICING],
    endpoint: VIDEO_SYNTHESIS_PATH,
    // "服务部署范围仅支持中国内地 … 北京接入地域".
    regions: ['cn-beijing'],
    // Default 720P; the size defaults to the tier's 16:9 row ("当 resolution=720P 时，size 默认为1280*720").
    sizing: { kind: 'resolution', tiers: row.tiers, serverDefault: '720P', ...(sized ? { sizes } : {}) },
    // q3 "[1, 16]", q2 "[1, 10]", default 5; q2-pro reference "支持设置为0，表示自动规划时长，上限不超过 10 秒".
    duration: { min: 1, max: row.q3 ? 16 : 10, serverDefault: 5, ...(q2ProRef ? { special: { 0: 'the model plans the length, at most 10 s' } } : {}) },
    // "不超过5000个字符，超过部分会自动截断"; optional on img2video only.
    prompt: { required: row.kind !== 'img2video', maxChars: 5000, overLength: 'truncated' },
    media: media(row.kind, q2ProRef),
    params: [
      ...(row.q3 ? [{ name: 'audio', type: 'boolean', serverDefault: false, doc: 'Vidu q3: generate sound (same price). Default false.' } as const] : []),
      { name: 'watermark', type: 'boolean', serverDefault: false, doc: 'Vidu: the "内容由AI生成" mark. Default false.' },
      SEED,
    ],
    audio: row.q3 ? 'parameter' : 'never',
    // "5 concurrent tasks shared by every Vidu model of one API key" (the page's note on 17 models).
    quota: { family: 'vidu', runningTasks: 5, submitsPerSecond: 5, source: RATE_LIMIT },
    price: { currency: 'CNY', region: 'cn-beijing', perSecond, source: PRICING },
    billing: { seconds: 'output' },
    result: { srAsString: false, urlTtlHours: 24 },
    undocumented: [
      'oss:// inputs (local files) are not named on the Vidu pages; accepted with a warning',
      ...(row.kind === 'start-end2video' ? ['the two images must have similar pixel areas (ratio 0.8–1.25): not checked before the run'] : []),
      ...(row.q3 ? [] : ['q2 has no audio parameter: its output is recorded as silent']),
    ],
    unsupportedHints: { negative_prompt: 'Vidu has no negative_prompt: say what to avoid in the prompt', ...(row.q3 ? {} : { audio: 'Vidu q2 makes silent video; sound is on the q3 models' }) },
  };
}

export const VIDU_MODELS: readonly ModelEntry[] = ROWS.map(entry);
