// Wan 2.6 and 2.5 (万相): text-to-video and first-frame image-to-video on the "old protocol"
// (size tables, flat img_url / audio_url fields), and reference-to-video with a flat URL list
// whose items the prompt calls character1, character2… Sources: WAN_PAGES (wan-common.ts).
import type { MediaSlot, ModelEntry, ParamRule, PriceRule } from '../model-entry.js';
import { SEED } from './common.js';
import { VIDEO_SYNTHESIS_PATH } from './paths.js';
import {
  PROMPT_EXTEND,
  WAN_AUDIO,
  WAN_AUDIO_ON,
  WAN_IMAGE_URLS,
  WAN_MEDIA_URLS,
  WAN_PAGES,
  WAN_SHOT_TYPE,
  WAN_SIZES,
  WAN_WATERMARK,
  shotTypeNeedsPromptExtend,
  wanImage,
  wanPrice,
  wanQuota,
  wanVideo,
} from './wan-common.js';

const AUDIO_URL: MediaSlot = { type: 'audio_url', kind: 'audio', role: 'audio', min: 0, max: 1, urls: WAN_MEDIA_URLS, limits: WAN_AUDIO };
const IMG_URL: MediaSlot = { type: 'img_url', kind: 'image', role: 'first-frame', min: 1, max: 1, urls: WAN_IMAGE_URLS, limits: wanImage(20) };

// "超过部分会自动截断": 1500 characters on 2.6/2.5, negative prompts 500.
const PROMPT_26 = { maxChars: 1500, overLength: 'truncated' } as const;
const NEGATIVE = { maxChars: 500, overLength: 'truncated' } as const;
const PRICE_26: PriceRule['perSecond'] = { '720P': 0.6, '1080P': 1 };
const PRICE_25: PriceRule['perSecond'] = { '480P': 0.3, '720P': 0.6, '1080P': 1 };
const RESULT = { srAsString: false, urlTtlHours: 24, fps: 30 } as const;
// "wan2.6 及wan2.5系列模型默认生成有声视频" and only the flash models have an audio parameter.
const ALWAYS_SOUND = 'sound is always on: only wan2.6-i2v-flash and wan2.6-r2v-flash take an audio parameter (recorded, nothing sent)';

function t2v(name: string, family: 'wan2.6' | 'wan2.5'): ModelEntry {
  const is26 = family === 'wan2.6';
  return {
    name,
    vendor: 'wan',
    family,
    variant: 't2v',
    sources: [WAN_PAGES.t2vLegacy, WAN_PAGES.rateLimit, WAN_PAGES.pricing, WAN_PAGES.overview],
    endpoint: VIDEO_SYNTHESIS_PATH,
    // The page lists Beijing, Singapore, Virginia and Frankfurt for 2.6; the rate-limit page has
    // wan2.6-t2v in the 中国内地, 国际 and 全球 scopes, wan2.5-t2v-preview in the first two only.
    regions: is26 ? ['cn-beijing', 'ap-southeast-1', 'us-east-1', 'eu-central-1'] : ['cn-beijing', 'ap-southeast-1'],
    sizing: { kind: 'size', tiers: is26 ? { '720P': WAN_SIZES['720P'], '1080P': WAN_SIZES['1080P'] } : WAN_SIZES, serverDefault: '1920*1080' },
    duration: is26 ? { min: 2, max: 15, serverDefault: 5 } : { values: [5, 10], serverDefault: 5 },
    prompt: { required: true, ...PROMPT_26 },
    negativePrompt: NEGATIVE,
    media: { shape: 'flat', slots: [AUDIO_URL] },
    params: [PROMPT_EXTEND, ...(is26 ? [WAN_SHOT_TYPE] : []), WAN_WATERMARK, SEED],
    audio: 'always',
    ...(is26 ? { crossRules: [shotTypeNeedsPromptExtend] } : {}),
    quota: wanQuota(name, 5, 5),
    price: wanPrice(is26 ? PRICE_26 : PRICE_25),
    billing: { seconds: 'output' },
    result: RESULT,
    undocumented: [ALWAYS_SOUND],
    unsupportedHints: { audio: `${name} always generates sound; for a silent Wan video use wan2.6-i2v-flash with audio: false` },
  };
}

function i2v(name: string, family: 'wan2.6' | 'wan2.5', flash: boolean): ModelEntry {
  const is26 = family === 'wan2.6';
  return {
    name,
    vendor: 'wan',
    family,
    variant: 'i2v',
    sources: [WAN_PAGES.i2vLegacy, WAN_PAGES.rateLimit, WAN_PAGES.pricing, WAN_PAGES.overview],
    endpoint: VIDEO_SYNTHESIS_PATH,
    // Rate-limit tables: wan2.6-i2v in 中国内地, 国际 and 全球; the flash model and wan2.5 in the first two.
    regions: is26 && !flash ? ['cn-beijing', 'ap-southeast-1', 'us-east-1', 'eu-central-1'] : ['cn-beijing', 'ap-southeast-1'],
    sizing: { kind: 'resolution', tiers: is26 ? ['720P', '1080P'] : ['480P', '720P', '1080P'], serverDefault: '1080P' },
    duration: is26 ? { min: 2, max: 15, serverDefault: 5 } : { values: [5, 10], serverDefault: 5 },
    prompt: { required: false, ...PROMPT_26 },
    negativePrompt: NEGATIVE,
    media: { shape: 'flat', slots: [IMG_URL, AUDIO_URL] },
    // audio defaults to TRUE on wan2.6-i2v-flash: silence must be asked for explicitly.
    params: [PROMPT_EXTEND, ...(is26 ? [WAN_SHOT_TYPE] : []), ...(flash ? [WAN_AUDIO_ON] : []), WAN_WATERMARK, SEED],
    audio: flash ? 'parameter' : 'always',
    ...(is26 ? { crossRules: [shotTypeNeedsPromptExtend] } : {}),
    quota: wanQuota(name, 5, 5),
    price: wanPrice(flash ? { '720P': { audio: 0.3, silent: 0.15 }, '1080P': { audio: 0.5, silent: 0.25 } } : is26 ? PRICE_26 : PRICE_25),
    billing: { seconds: 'output' },
    result: RESULT,
    ...(flash ? {} : { undocumented: [ALWAYS_SOUND], unsupportedHints: { audio: `${name} always generates sound; use wan2.6-i2v-flash for audio: false` } }),
  };
}

/** reference_urls: "图像数量：0～5", "视频数量：0～3", "图像 + 视频 ≤ 5"; videos "MP4、MOV; 1s～30s; ≤100MB". */
const REFERENCES = {
  shape: 'url-list',
  listField: 'reference_urls',
  slots: [
    { type: 'image', kind: 'image', role: 'reference-image', min: 0, max: 5, urls: WAN_MEDIA_URLS, limits: wanImage(20) },
    { type: 'video', kind: 'video', role: 'reference-video', min: 0, max: 3, urls: WAN_MEDIA_URLS, limits: wanVideo({ min: 1, max: 30 }) },
  ],
  totals: [{ types: ['image', 'video'], min: 1, max: 5 }],
  // "第 1 个 URL 对应 character1，第 2 个对应 character2" (the page's examples also write Character2).
  promptRefs: { style: 'positional', tokens: [{ pattern: '[Cc]haracter(\\d+)', display: 'characterN', counts: ['image', 'video'] }] },
} as const satisfies ModelEntry['media'];

function r2v(name: string, flash: boolean): ModelEntry {
  const shotType: ParamRule = { ...WAN_SHOT_TYPE, doc: 'wan2.6 r2v: one continuous shot or several. Default single.' };
  return {
    name,
    vendor: 'wan',
    family: 'wan2.6',
    variant: 'r2v',
    sources: [WAN_PAGES.r2vLegacy, WAN_PAGES.rateLimit, WAN_PAGES.pricing, WAN_PAGES.overview],
    endpoint: VIDEO_SYNTHESIS_PATH,
    // Pricing and rate-limit pages: wan2.6-r2v in 中国内地, 全球 and 国际; r2v-flash in 中国内地 and 国际.
    regions: flash ? ['cn-beijing', 'ap-southeast-1'] : ['cn-beijing', 'ap-southeast-1', 'us-east-1', 'eu-central-1'],
    sizing: { kind: 'size', tiers: { '720P': WAN_SIZES['720P'], '1080P': WAN_SIZES['1080P'] }, serverDefault: '1920*1080' },
    duration: { min: 2, max: 10, serverDefault: 5 },
    prompt: { required: true, ...PROMPT_26 },
    negativePrompt: NEGATIVE,
    media: REFERENCES,
    // r2v has no prompt_extend; shot_type works on its own here.
    params: [shotType, ...(flash ? [WAN_AUDIO_ON] : []), WAN_WATERMARK, SEED],
    audio: flash ? 'parameter' : 'always',
    quota: wanQuota(name, 5, 5),
    price: wanPrice(flash ? { '720P': { audio: 0.3, silent: 0.15 }, '1080P': { audio: 0.5, silent: 0.25 } } : PRICE_26),
    // "计费时长 = 输入视频时长（上限 5 秒）+ 输出视频时长".
    billing: { seconds: 'input+output', maxInputSeconds: 5, inputTypes: ['video'] },
    result: RESULT,
    undocumented: [
      'oss:// is the only non-public scheme the page names for reference_urls; base64 is refused',
      ...(flash ? [] : [ALWAYS_SOUND]),
    ],
    unsupportedHints: {
      reference_video_urls: 'reference_video_urls is deprecated ("推荐使用reference_urls替代"): list images and videos in reference_urls',
      prompt_extend: `${name} has no prompt_extend; remove it`,
      ...(flash ? {} : { audio: `${name} always generates sound; use wan2.6-r2v-flash for audio: false` }),
    },
  };
}

export const WAN26_MODELS: readonly ModelEntry[] = [
  t2v('wan2.6-t2v', 'wan2.6'),
  i2v('wan2.6-i2v', 'wan2.6', false),
  i2v('wan2.6-i2v-flash', 'wan2.6', true),
  r2v('wan2.6-r2v', false),
  r2v('wan2.6-r2v-flash', true),
  t2v('wan2.5-t2v-preview', 'wan2.5'),
  i2v('wan2.5-i2v-preview', 'wan2.5', false),
];
