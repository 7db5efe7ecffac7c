// The model catalog: one entry per model, as data. Adding a model is one entry plus its tests.
// Every fact is from ../shared/spec/dashscope-video-api.md (§5 PixVerse, §6 Wan, §4 quotas).
import type { Region, Tier } from '../types.js';
import type { DurationRule, ImageRule, MediaRule, ModelEntry, FrameRule, UrlRule } from './model-entry.js';

export const VIDEO_SYNTHESIS_PATH = '/services/aigc/video-generation/video-synthesis';

const BEIJING_ONLY: readonly Region[] = ['cn-beijing'];

/** c1 and v6 t2v/r2v: eight aspect ratios (16:9, 4:3, 1:1, 3:4, 9:16, 3:2, 2:3, 21:9). */
const SIZES_EIGHT_RATIOS: Partial<Record<Tier, readonly string[]>> = {
  '360P': ['640*360', '640*480', '640*640', '480*640', '360*640', '640*432', '432*640', '640*288'],
  '540P': ['1024*576', '1024*768', '1024*1024', '768*1024', '576*1024', '1024*688', '688*1024', '1024*448'],
  '720P': ['1280*720', '1108*832', '960*960', '832*1108', '720*1280', '1200*800', '800*1200', '1280*560'],
  '1080P': ['1920*1080', '1664*1248', '1440*1440', '1248*1664', '1080*1920', '1776*1184', '1184*1776', '1920*832'],
};

/** v5.6-t2v: five ratios; 720P and 1080P differ from c1/v6 and from v5.6-r2v. */
const SIZES_V56_T2V: Partial<Record<Tier, readonly string[]>> = {
  '360P': ['640*360', '640*480', '640*640', '480*640', '360*640'],
  '540P': ['1024*576', '1024*768', '1024*1024', '768*1024', '576*1024'],
  '720P': ['1280*720', '1280*960', '1280*1280', '960*1280', '720*1280'],
  '1080P': ['1920*1080', '1920*1440', '1808*1808', '1440*1920', '1080*1920'],
};

/** v5.6-r2v: its own five-ratio table. */
const SIZES_V56_R2V: Partial<Record<Tier, readonly string[]>> = {
  '360P': ['640*360', '640*480', '640*640', '480*640', '360*640'],
  '540P': ['1024*576', '1024*768', '1024*1024', '768*1024', '576*1024'],
  '720P': ['1280*720', '1108*830', '960*960', '830*1108', '720*1280'],
  '1080P': ['1920*1080', '1662*1246', '1440*1440', '1246*1662', '1080*1920'],
};

const PIXVERSE_TIERS: readonly Tier[] = ['360P', '540P', '720P', '1080P'];

const DURATION_V56: DurationRule = { values: [5, 8, 10], byTier: { '1080P': [5, 8] } };
const DURATION_C1_V6: DurationRule = { min: 1, max: 15 };

// PixVerse pages: "必须为公网可访问的URL。支持 HTTP 或 HTTPS 协议". oss:// (what a local file
// becomes) is the model-generic temporary-URL flow, resolved by the gateway and used by the
// official SDK for every model; PixVerse's pages do not name it, so it is accepted with a warning.
// data: URIs are named nowhere for PixVerse: InvalidURL.
const PIXVERSE_URLS: UrlRule = {
  schemes: ['http', 'https', 'oss'],
  source: 'help.aliyun.com/zh/model-studio/pixverse-image-to-video-api-reference (media.url)',
  undocumented: {
    schemes: ['oss'],
    note: 'the PixVerse API docs document only public HTTP(S) image URLs',
  },
};
const PIXVERSE_IMAGE: ImageRule = {
  formats: ['jpg', 'jpeg', 'png', 'webp'],
  maxBytes: 20 * 1024 * 1024,
  maxSide: 10000,
  urls: PIXVERSE_URLS,
};
// Wan's doc lists "PNG (no alpha)"; an alpha channel gets a warning before any upload.
// img_url: public http(s) URL, oss:// temporary URL, or data:{mime};base64,…; audio_url: no base64.
const WAN_I2V_PAGE = 'help.aliyun.com/zh/model-studio/image-to-video-api-reference';
const WAN_IMAGE: ImageRule = {
  formats: ['jpg', 'jpeg', 'png', 'bmp', 'webp'],
  maxBytes: 10 * 1024 * 1024,
  minSide: 360,
  maxSide: 2000,
  alphaAllowed: false,
  urls: { schemes: ['http', 'https', 'oss', 'data'], source: `${WAN_I2V_PAGE} (img_url)` },
};
const WAN_AUDIO_URLS: UrlRule = { schemes: ['http', 'https', 'oss'], source: `${WAN_I2V_PAGE} (audio_url)` };

type PixverseFamily = 'v5.6' | 'c1' | 'v6';

const PIXVERSE_VARIANTS = {
  t2v: { media: { kind: 'none' }, promptRequired: true },
  it2v: { media: { kind: 'first-frame', several: 'pixverse-it2v-several-images' }, promptRequired: false },
  kf2v: { media: { kind: 'keyframes' }, promptRequired: true },
  r2v: { media: { kind: 'references', min: 1, max: 7 }, promptRequired: true },
} as const satisfies Record<string, { media: MediaRule; promptRequired: boolean }>;

type PixverseVariant = keyof typeof PIXVERSE_VARIANTS;

function pixverseFrame(family: PixverseFamily, variant: PixverseVariant): FrameRule {
  if (variant === 't2v' || variant === 'r2v') {
    if (family !== 'v5.6') return { kind: 'size', tiers: SIZES_EIGHT_RATIOS };
    return { kind: 'size', tiers: variant === 't2v' ? SIZES_V56_T2V : SIZES_V56_R2V };
  }
  if (family === 'v5.6' && variant === 'it2v') {
    // The two official pages disagree (spec §5 ⚠): one allows 1080P, one stops at 720P.
    return { kind: 'resolution', tiers: PIXVERSE_TIERS, disputedTiers: { '1080P': 'pixverse-v5.6-it2v-1080p' } };
  }
  return { kind: 'resolution', tiers: PIXVERSE_TIERS };
}

function pixverse(family: PixverseFamily, variant: PixverseVariant): ModelEntry {
  const rules = PIXVERSE_VARIANTS[variant];
  // v6 has shot_type for t2v and it2v only; c1 does multi-shot through the prompt; v5.6 has none.
  const hasShotType = family === 'v6' && (variant === 't2v' || variant === 'it2v');
  return {
    name: `pixverse/pixverse-${family}-${variant}`,
    family: `pixverse-${family}`,
    variant,
    endpoint: VIDEO_SYNTHESIS_PATH,
    regions: BEIJING_ONLY,
    frame: pixverseFrame(family, variant),
    duration: family === 'v5.6' ? DURATION_V56 : DURATION_C1_V6,
    prompt: { required: rules.promptRequired, maxChars: family === 'v5.6' ? 2048 : 5000 },
    media: rules.media,
    image: PIXVERSE_IMAGE,
    defaults: { audio: false, watermark: false, ...(hasShotType ? { shot_type: 'single' as const } : {}) },
    seed: { min: 0, max: 2147483647 },
    // The four variants of one family share 5 running tasks and 5 submits/s (spec §4).
    quota: { family: `pixverse-${family}`, runningTasks: 5, submitsPerSecond: 5 },
    ...(family === 'c1'
      ? { unsupportedHints: { shot_type: 'c1 does multi-shot through the prompt: describe the cuts in the prompt and drop shot_type' } }
      : {}),
    fps: 24,
    usage: {
      srAsString: true,
      ...(family === 'v5.6' && variant === 't2v' ? { deliveredSizeOverrides: { '1808*1808@8': '1440*1440' } } : {}),
    },
  };
}

const WAN26_I2V_FLASH: ModelEntry = {
  name: 'wan2.6-i2v-flash',
  family: 'wan2.6',
  variant: 'i2v',
  endpoint: VIDEO_SYNTHESIS_PATH,
  regions: ['cn-beijing', 'ap-southeast-1'],
  frame: { kind: 'resolution', tiers: ['720P', '1080P'], serverDefault: '1080P' },
  duration: { min: 2, max: 15, serverDefault: 5 },
  prompt: { required: false, maxChars: 1500 },
  negativePrompt: { maxChars: 500 },
  media: { kind: 'img-url' },
  image: WAN_IMAGE,
  audio: { urls: WAN_AUDIO_URLS },
  // audio defaults to TRUE on wan2.6-i2v-flash: silence must be asked for explicitly.
  defaults: { audio: true, watermark: false, prompt_extend: true, shot_type: 'single' },
  seed: { min: 0, max: 2147483647 },
  quota: { family: 'wan2.6-i2v-flash', runningTasks: 5, submitsPerSecond: 5 },
  usage: { srAsString: false },
};

const FAMILIES: readonly PixverseFamily[] = ['v5.6', 'c1', 'v6'];
const VARIANTS: readonly PixverseVariant[] = ['t2v', 'it2v', 'kf2v', 'r2v'];

/** Every model the tool knows, keyed by its exact DashScope name. */
export const MODELS: ReadonlyMap<string, ModelEntry> = new Map(
  [...FAMILIES.flatMap((f) => VARIANTS.map((v) => pixverse(f, v))), WAN26_I2V_FLASH].map((m) => [m.name, m]),
);

export function findModel(name: string): ModelEntry | undefined {
  return MODELS.get(name);
}

export function modelNames(): string[] {
  return [...MODELS.keys()];
}

/** Tier of a `W*H` size in a size-table model, or undefined when the size is not in its table. */
export function tierOfSize(model: ModelEntry, size: string): Tier | undefined {
  if (model.frame.kind !== 'size') return undefined;
  for (const [tier, sizes] of Object.entries(model.frame.tiers)) {
    if (sizes?.includes(size)) return tier as Tier;
  }
  return undefined;
}

/** Durations allowed at a tier, as a list when the rule is a list, else undefined (range rule). */
export function allowedDurations(rule: DurationRule, tier: Tier | undefined): readonly number[] | undefined {
  if (tier && rule.byTier?.[tier]) return rule.byTier[tier];
  return rule.values;
}
