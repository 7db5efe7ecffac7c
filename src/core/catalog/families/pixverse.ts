// PixVerse (爱诗) on Model Studio: c1, v6 and v5.6 × t2v, it2v, kf2v, r2v. Beijing only.
// Sources (help.aliyun.com/zh/model-studio/…, copies in modelstudioai/skills
// skills/bailian-docs-llm-wiki/raw/model-api-reference/video-generation-api/, 2026-05-28):
//   pixverse-text-to-video-api-reference, pixverse-image-to-video-api-reference,
//   pixverse-keyframe-to-video-api-reference, pixverse-reference-to-video-api-reference;
//   rate-limit (爱诗系列), model-pricing (爱诗); qianwenai create-task pages for the disputes.
import type { Tier } from '../../types.js';
import type { DurationRule, FileLimits, MediaRule, ModelEntry, ParamRule, PriceRule, SizeTable, UrlRule } from '../model-entry.js';
import { VIDEO_SYNTHESIS_PATH } from './paths.js';
import { SEED } from './common.js';

const PAGE = 'https://help.aliyun.com/zh/model-studio/';
const PAGES = {
  t2v: `${PAGE}pixverse-text-to-video-api-reference`,
  it2v: `${PAGE}pixverse-image-to-video-api-reference`,
  kf2v: `${PAGE}pixverse-keyframe-to-video-api-reference`,
  r2v: `${PAGE}pixverse-reference-to-video-api-reference`,
} as const;
const RATE_LIMIT = `${PAGE}rate-limit (爱诗系列)`;
const PRICING = `${PAGE}model-pricing (爱诗)`;

/** c1 and v6 t2v/r2v: eight aspect ratios (16:9, 4:3, 1:1, 3:4, 9:16, 3:2, 2:3, 21:9). */
const SIZES_EIGHT_RATIOS: SizeTable = {
  '360P': ['640*360', '640*480', '640*640', '480*640', '360*640', '640*432', '432*640', '640*288'],
  '540P': ['1024*576', '1024*768', '1024*1024', '768*1024', '576*1024', '1024*688', '688*1024', '1024*448'],
  '720P': ['1280*720', '1108*832', '960*960', '832*1108', '720*1280', '1200*800', '800*1200', '1280*560'],
  '1080P': ['1920*1080', '1664*1248', '1440*1440', '1248*1664', '1080*1920', '1776*1184', '1184*1776', '1920*832'],
};

/** v5.6-t2v: five ratios; 720P and 1080P differ from c1/v6 and from v5.6-r2v. */
const SIZES_V56_T2V: SizeTable = {
  '360P': ['640*360', '640*480', '640*640', '480*640', '360*640'],
  '540P': ['1024*576', '1024*768', '1024*1024', '768*1024', '576*1024'],
  '720P': ['1280*720', '1280*960', '1280*1280', '960*1280', '720*1280'],
  '1080P': ['1920*1080', '1920*1440', '1808*1808', '1440*1920', '1080*1920'],
};

/** v5.6-r2v: its own five-ratio table. */
const SIZES_V56_R2V: SizeTable = {
  '360P': ['640*360', '640*480', '640*640', '480*640', '360*640'],
  '540P': ['1024*576', '1024*768', '1024*1024', '768*1024', '576*1024'],
  '720P': ['1280*720', '1108*830', '960*960', '830*1108', '720*1280'],
  '1080P': ['1920*1080', '1662*1246', '1440*1440', '1246*1662', '1080*1920'],
};

export const PIXVERSE_TIERS: readonly Tier[] = ['360P', '540P', '720P', '1080P'];

const DURATION_V56: DurationRule = { values: [5, 8, 10], byTier: { '1080P': [5, 8] } };
const DURATION_C1_V6: DurationRule = { min: 1, max: 15 };

// PixVerse pages: "必须为公网可访问的URL。支持 HTTP 或 HTTPS 协议". oss:// (what a local file
// becomes) is the model-generic temporary-URL flow, resolved by the gateway and used by the
// official SDK for every model; PixVerse's pages do not name it, so it is accepted with a warning.
// data: URIs are named nowhere for PixVerse: InvalidURL.
export const PIXVERSE_URLS: UrlRule = {
  schemes: ['http', 'https', 'oss'],
  source: `${PAGES.it2v} (media.url)`,
  undocumented: {
    schemes: ['oss'],
    note: 'the PixVerse API docs document only public HTTP(S) image URLs',
  },
};
/** "格式：JPG、PNG、WEBP；宽高均不超过10000像素；不超过20MB". */
export const PIXVERSE_IMAGE: FileLimits = { formats: ['jpg', 'jpeg', 'png', 'webp'], maxBytes: 20 * 1024 * 1024, maxSide: 10000 };

type Family = 'v5.6' | 'c1' | 'v6';
type Kind = 't2v' | 'it2v' | 'kf2v' | 'r2v';

const image = (type: string, role: 'first-frame' | 'last-frame' | 'reference-image', min: number, max: number, refName = false) => ({
  type,
  kind: 'image' as const,
  role,
  min,
  max,
  urls: PIXVERSE_URLS,
  limits: PIXVERSE_IMAGE,
  ...(refName ? { refName: true } : {}),
});

const MEDIA: Record<Kind, MediaRule> = {
  t2v: { shape: 'none', slots: [] },
  // The it2v first frame is `image_url`; "图像数量推荐为1张，若传入多张图像，系统将默认采用最后一个".
  it2v: { shape: 'list', slots: [image('image_url', 'first-frame', 1, 1)], disputedExtra: { type: 'image_url', dispute: 'pixverse-it2v-several-images' } },
  // "有且仅有1张" first_frame and last_frame; order free.
  kf2v: { shape: 'list', slots: [image('first_frame', 'first-frame', 1, 1), image('last_frame', 'last-frame', 1, 1)] },
  // 1–7 image_url items, optional unique ref_name bound as "@name " in the prompt.
  r2v: { shape: 'list', slots: [image('image_url', 'reference-image', 1, 7, true)], promptRefs: { style: 'ref-name' } },
};

const PRICES: Record<Family, PriceRule['perSecond']> = {
  c1: { '360P': { audio: 0.24, silent: 0.18 }, '540P': { audio: 0.3, silent: 0.24 }, '720P': { audio: 0.39, silent: 0.3 }, '1080P': { audio: 0.71, silent: 0.56 } },
  v6: { '360P': { audio: 0.21, silent: 0.15 }, '540P': { audio: 0.27, silent: 0.21 }, '720P': { audio: 0.36, silent: 0.27 }, '1080P': { audio: 0.68, silent: 0.53 } },
  'v5.6': { '360P': { audio: 0.47, silent: 0.21 }, '540P': { audio: 0.47, silent: 0.21 }, '720P': { audio: 0.53, silent: 0.27 }, '1080P': { audio: 0.7, silent: 0.44 } },
};

export const AUDIO_OFF: ParamRule = { name: 'audio', type: 'boolean', serverDefault: false, doc: 'Generate sound (billed higher). Default false.' };
export const WATERMARK_AI: ParamRule = { name: 'watermark', type: 'boolean', serverDefault: false, doc: 'Add the "AI生成" mark at the bottom right. Default false.' };

function entry(family: Family, kind: Kind): ModelEntry {
  // v6 has shot_type for t2v and it2v only; c1 does multi-shot through the prompt; v5.6 has none.
  const shotType = family === 'v6' && (kind === 't2v' || kind === 'it2v');
  const name = `pixverse/pixverse-${family}-${kind}`;
  return {
    name,
    vendor: 'pixverse',
    family: `pixverse-${family}`,
    variant: kind,
    sources: [PAGES[kind], RATE_LIMIT, PRICING],
    endpoint: VIDEO_SYNTHESIS_PATH,
    regions: ['cn-beijing'],
    sizing:
      kind === 't2v' || kind === 'r2v'
        ? { kind: 'size', tiers: family !== 'v5.6' ? SIZES_EIGHT_RATIOS : kind === 't2v' ? SIZES_V56_T2V : SIZES_V56_R2V }
        : family === 'v5.6' && kind === 'it2v'
          ? // The two official pages disagree (spec §5 ⚠): one allows 1080P, one stops at 720P.
            { kind: 'resolution', tiers: PIXVERSE_TIERS, disputedTiers: { '1080P': 'pixverse-v5.6-it2v-1080p' } }
          : { kind: 'resolution', tiers: PIXVERSE_TIERS },
    // duration is required ("必选") in every variant.
    duration: family === 'v5.6' ? DURATION_V56 : DURATION_C1_V6,
    // "超过部分会自动截断": c1/v6 5000, v5.6 2048 characters; v6-r2v 2048 in the newer r2v page copy
    // (pixverse-api-reference/pixverse-reference-to-video-api-reference.md @0e93feb).
    prompt: { required: kind !== 'it2v', maxChars: family === 'v5.6' || (family === 'v6' && kind === 'r2v') ? 2048 : 5000, overLength: 'truncated' },
    media: MEDIA[kind],
    params: [
      ...(shotType ? [{ name: 'shot_type', type: 'enum', values: ['single', 'multi'], serverDefault: 'single', doc: 'v6 t2v/it2v: one continuous shot or several (system-cut). Default single.' } as const] : []),
      AUDIO_OFF,
      WATERMARK_AI,
      SEED,
    ],
    audio: 'parameter',
    // The four models of one family share 5 running tasks and 5 submits/s.
    quota: { family: `pixverse-${family}`, runningTasks: 5, submitsPerSecond: 5, source: RATE_LIMIT },
    // v6-r2v is newer than the pricing copy: its price is not documented.
    ...(family === 'v6' && kind === 'r2v' ? {} : { price: { currency: 'CNY', region: 'cn-beijing', perSecond: PRICES[family], source: PRICING } satisfies PriceRule }),
    billing: { seconds: 'output' },
    result: {
      srAsString: true,
      fps: 24,
      ...(family === 'v5.6' && kind === 't2v' ? { deliveredSizeOverrides: { '1808*1808@8': '1440*1440' } } : {}),
    },
    undocumented: [
      'oss:// inputs (local files) are not named on the PixVerse pages; accepted with a warning (the official SDK sends them)',
      ...(family === 'v6' && kind === 'r2v' ? ['price: not in the pricing page copy; no estimate unless prices are configured'] : []),
    ],
    ...(family === 'c1' ? { unsupportedHints: { shot_type: 'c1 does multi-shot through the prompt: describe the cuts in the prompt and drop shot_type' } } : {}),
  };
}

const FAMILIES: readonly Family[] = ['v5.6', 'c1', 'v6'];
const KINDS: readonly Kind[] = ['t2v', 'it2v', 'kf2v', 'r2v'];

export const PIXVERSE_MODELS: readonly ModelEntry[] = FAMILIES.flatMap((f) => KINDS.map((k) => entry(f, k)));
