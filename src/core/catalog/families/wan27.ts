// Wan 2.7 (万相2.7, the "new protocol"): resolution + ratio sizing, a typed `media` list, prompts
// up to 5000 characters. t2v and i2v also exist as the dated snapshots `-2026-04-25` the pages'
// examples use. Sources: WAN_PAGES (wan-common.ts).
import type { MediaSlot, ModelEntry, RatioSizing } from '../model-entry.js';
import { MB, SEED } from './common.js';
import { VIDEO_SYNTHESIS_PATH } from './paths.js';
import {
  PROMPT_EXTEND,
  WAN27_AUDIO,
  WAN27_HINTS,
  WAN27_PIXELS,
  WAN27_RATIOS,
  WAN_IMAGE_URLS,
  WAN_MEDIA_URLS,
  WAN_PAGES,
  WAN_WATERMARK,
  wanImage,
  wanPrice,
  wanQuota,
  wanVideo,
} from './wan-common.js';

// Every 2.7 page: Beijing and Singapore endpoints; the rate-limit page lists them in 中国内地 and 国际.
const REGIONS = ['cn-beijing', 'ap-southeast-1'] as const;
const PROMPT = { maxChars: 5000, overLength: 'truncated' } as const;
const NEGATIVE = { maxChars: 500, overLength: 'truncated' } as const;
const PRICE = wanPrice({ '720P': 0.6, '1080P': 1 });
const RESULT = { srAsString: false, urlTtlHours: 24 } as const;
const TIERS = ['720P', '1080P'] as const;

function ratioSizing(extra: Partial<RatioSizing> = {}): RatioSizing {
  return { kind: 'resolution-ratio', tiers: TIERS, serverDefault: '1080P', ratioField: 'ratio', ratios: WAN27_RATIOS, ratioDefault: '16:9', pixels: WAN27_PIXELS, ...extra };
}

const image = (type: string, role: MediaSlot['role'], max: number, extra: Partial<MediaSlot> = {}): MediaSlot => ({
  type,
  kind: 'image',
  role,
  min: 0,
  max,
  urls: WAN_IMAGE_URLS,
  limits: wanImage(20, true),
  ...extra,
});
const video = (type: string, role: MediaSlot['role'], min: number, max: number, seconds: { min: number; max: number }, extra: Partial<MediaSlot> = {}): MediaSlot => ({
  type,
  kind: 'video',
  role,
  min,
  max,
  urls: WAN_MEDIA_URLS,
  limits: wanVideo(seconds, true),
  ...extra,
});
/** reference_voice: "wav、mp3; 1～10s; ≤ 15MB", public URL or oss://. */
const VOICE = { urls: WAN_MEDIA_URLS, limits: { formats: ['wav', 'mp3'], maxBytes: 15 * MB, seconds: { min: 1, max: 10 } } };

function t2v(name: string): ModelEntry {
  return {
    name,
    vendor: 'wan',
    family: 'wan2.7',
    variant: 't2v',
    sources: [WAN_PAGES.t2v27, WAN_PAGES.rateLimit, WAN_PAGES.pricing],
    endpoint: VIDEO_SYNTHESIS_PATH,
    regions: REGIONS,
    sizing: ratioSizing(),
    duration: { min: 2, max: 15, serverDefault: 5 },
    prompt: { required: true, ...PROMPT },
    negativePrompt: NEGATIVE,
    media: { shape: 'flat', slots: [{ type: 'audio_url', kind: 'audio', role: 'audio', min: 0, max: 1, urls: WAN_MEDIA_URLS, limits: WAN27_AUDIO }] },
    params: [PROMPT_EXTEND, WAN_WATERMARK, SEED],
    audio: 'always',
    quota: wanQuota(name, 5, 5),
    price: PRICE,
    billing: { seconds: 'output' },
    result: RESULT,
    undocumented: [
      'no audio parameter: the output has sound (generated, or the audio_url given); recorded, nothing sent',
      ...(name.endsWith('-2026-06-12') ? ['rate limit and price: not in the copies read (they predate this snapshot); assumed as for wan2.7-t2v'] : []),
    ],
    unsupportedHints: WAN27_HINTS,
  };
}

function i2v(name: string): ModelEntry {
  return {
    name,
    vendor: 'wan',
    family: 'wan2.7',
    variant: 'i2v',
    sources: [WAN_PAGES.i2v27, WAN_PAGES.rateLimit, WAN_PAGES.pricing],
    endpoint: VIDEO_SYNTHESIS_PATH,
    regions: REGIONS,
    // "视频宽高比尽量与输入素材（首帧或首段视频）保持一致": resolution only.
    sizing: { kind: 'resolution', tiers: TIERS, serverDefault: '1080P' },
    // A continuation counts the whole output: "duration=15 … 输入视频 3 秒 … 按 15 秒计费".
    duration: { min: 2, max: 15, serverDefault: 5 },
    prompt: { required: false, ...PROMPT },
    negativePrompt: NEGATIVE,
    media: {
      shape: 'list',
      // "每种 type 在 media 数组中最多出现一次".
      slots: [
        image('first_frame', 'first-frame', 1),
        image('last_frame', 'last-frame', 1),
        { type: 'driving_audio', kind: 'audio', role: 'driving-audio', min: 0, max: 1, urls: WAN_MEDIA_URLS, limits: WAN27_AUDIO },
        video('first_clip', 'first-clip', 0, 1, { min: 2, max: 10 }),
      ],
      // "仅支持以下特定的素材组合，非法组合将报错".
      combos: [['first_frame'], ['first_frame', 'driving_audio'], ['first_frame', 'last_frame'], ['first_frame', 'last_frame', 'driving_audio'], ['first_clip'], ['first_clip', 'last_frame']],
      totals: [{ types: ['first_frame', 'first_clip'], min: 1, max: 1 }],
    },
    params: [PROMPT_EXTEND, WAN_WATERMARK, SEED],
    audio: 'always',
    quota: wanQuota(name, 5, 5),
    price: PRICE,
    billing: { seconds: 'output' },
    result: RESULT,
    undocumented: ['no audio parameter: the output has sound (generated, or the driving_audio given); recorded, nothing sent'],
    unsupportedHints: WAN27_HINTS,
  };
}

const R2V: ModelEntry = {
  name: 'wan2.7-r2v',
  vendor: 'wan',
  family: 'wan2.7',
  variant: 'r2v',
  sources: [WAN_PAGES.r2v27, WAN_PAGES.rateLimit, WAN_PAGES.pricing],
  endpoint: VIDEO_SYNTHESIS_PATH,
  regions: REGIONS,
  // "已传入首帧图像：自动忽略 ratio 参数".
  sizing: ratioSizing({ ratioIgnoredWith: ['first_frame'] }),
  // "当参考素材中包含视频时：[2, 10]；不包含视频时：[2, 15]", default 5.
  duration: { min: 2, max: 15, serverDefault: 5, withMedia: { types: ['reference_video'], rule: { min: 2, max: 10, serverDefault: 5 }, why: 'a reference video limits the output to 10 s' } },
  prompt: { required: true, ...PROMPT },
  negativePrompt: NEGATIVE,
  media: {
    shape: 'list',
    slots: [
      image('reference_image', 'reference-image', 5, { voice: VOICE }),
      video('reference_video', 'reference-video', 0, 5, { min: 1, max: 30 }, { voice: VOICE }),
      image('first_frame', 'first-frame', 1),
    ],
    // "参考图像和参考视频至少传入1个，参考图像 + 参考视频 ≤ 5".
    totals: [{ types: ['reference_image', 'reference_video'], min: 1, max: 5 }],
    // "图1、图2 … 视频1、视频2", in English "Image 1", "Video 1"; images and videos counted apart.
    promptRefs: {
      style: 'positional',
      tokens: [
        { pattern: '图(\\d+)', display: '图N', counts: ['reference_image'] },
        { pattern: '视频(\\d+)', display: '视频N', counts: ['reference_video'] },
        { pattern: 'Image (\\d+)', display: 'Image N', counts: ['reference_image'] },
        { pattern: 'Video (\\d+)', display: 'Video N', counts: ['reference_video'] },
      ],
    },
  },
  params: [PROMPT_EXTEND, WAN_WATERMARK, SEED],
  audio: 'always',
  quota: wanQuota('wan2.7-r2v', 5, 5),
  price: PRICE,
  // "计费时长 = 输入视频时长（上限 5 秒）+ 输出视频时长".
  billing: { seconds: 'input+output', maxInputSeconds: 5, inputTypes: ['reference_video'] },
  result: RESULT,
  undocumented: ['no audio parameter: the output has sound; recorded, nothing sent'],
  unsupportedHints: WAN27_HINTS,
};

const VIDEOEDIT: ModelEntry = {
  name: 'wan2.7-videoedit',
  vendor: 'wan',
  family: 'wan2.7',
  variant: 'videoedit',
  sources: [WAN_PAGES.edit27, WAN_PAGES.rateLimit, WAN_PAGES.pricing],
  endpoint: VIDEO_SYNTHESIS_PATH,
  regions: REGIONS,
  // "不传 ratio 参数：以输入视频的宽高比生成近似比例的视频": no ratio default, nothing pinned.
  sizing: ratioSizing({ ratioDefault: undefined }),
  // "默认值为 0，代表直接使用输入视频的时长"; "支持 [2, 10] 之间的整数" to cut it.
  duration: { min: 2, max: 10, serverDefault: 0, special: { 0: "the input video's length" } },
  prompt: { required: false, ...PROMPT },
  negativePrompt: NEGATIVE,
  media: {
    shape: 'list',
    // "视频有且仅有1个", "参考图像最多传入4张".
    slots: [video('video', 'source-video', 1, 1, { min: 2, max: 10 }), image('reference_image', 'reference-image', 4)],
  },
  params: [
    { name: 'audio_setting', type: 'enum', values: ['auto', 'origin'], serverDefault: 'auto', doc: 'Wan 2.7 / HappyHorse video edit: auto (the model decides from the prompt) or origin (keep the input sound). Default auto.' },
    PROMPT_EXTEND,
    WAN_WATERMARK,
    SEED,
  ],
  audio: 'input',
  quota: wanQuota('wan2.7-videoedit', 5, 5),
  price: PRICE,
  // "输入视频和输出视频均计费".
  billing: { seconds: 'input+output', maxInputSeconds: 10, inputTypes: ['video'] },
  result: RESULT,
  undocumented: ['whether the video input takes base64 (the page says "URL或 Base64" for the media list, base64 formats only for images): base64 video refused'],
  unsupportedHints: WAN27_HINTS,
};

// wan2.7-t2v-2026-06-12 is the snapshot the newer copy of the t2v page (ea94450) uses; the
// rate-limit and pricing copies predate it: its own pool, priced as wan2.7-t2v.
export const WAN27_MODELS: readonly ModelEntry[] = [t2v('wan2.7-t2v'), t2v('wan2.7-t2v-2026-04-25'), t2v('wan2.7-t2v-2026-06-12'), i2v('wan2.7-i2v'), i2v('wan2.7-i2v-2026-04-25'), R2V, VIDEOEDIT];
