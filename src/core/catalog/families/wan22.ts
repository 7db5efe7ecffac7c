// Wan 2.2 (万相2.2), silent 5-second models: text-to-video, first-frame image-to-video, and the
// first-and-last-frame model on the image2video path. Sources: WAN_PAGES (wan-common.ts).
import type { ModelEntry } from '../model-entry.js';
import { SEED } from './common.js';
import { IMAGE2VIDEO_PATH, VIDEO_SYNTHESIS_PATH } from './paths.js';
import { PROMPT_EXTEND, WAN_IMAGE_URLS, WAN_PAGES, WAN_SIZES, WAN_WATERMARK, wanImage, wanPrice, wanQuota } from './wan-common.js';

// "wan2.2 和wanx2.1系列模型：不超过800个字符", cut beyond; "固定为5秒，且不支持修改".
const PROMPT = { maxChars: 800, overLength: 'truncated' } as const;
const NEGATIVE = { maxChars: 500, overLength: 'truncated' } as const;
const FIVE_SECONDS = { values: [5], serverDefault: 5 } as const;
const RESULT = { srAsString: false, urlTtlHours: 24 } as const;
const PARAMS = [PROMPT_EXTEND, WAN_WATERMARK, SEED];
// "仅wan2.2和wanx2.1系列模型支持生成无声视频。默认生成无声视频".
const SILENT = { audio: 'never' as const, unsupportedHints: { audio: 'Wan 2.2 makes silent video and has no audio parameter; remove audio' } };

const T2V_PLUS: ModelEntry = {
  name: 'wan2.2-t2v-plus',
  vendor: 'wan',
  family: 'wan2.2',
  variant: 't2v',
  sources: [WAN_PAGES.t2vLegacy, WAN_PAGES.rateLimit, WAN_PAGES.pricing],
  endpoint: VIDEO_SYNTHESIS_PATH,
  regions: ['cn-beijing', 'ap-southeast-1'],
  sizing: { kind: 'size', tiers: { '480P': WAN_SIZES['480P'], '1080P': WAN_SIZES['1080P'] }, serverDefault: '1920*1080' },
  duration: FIVE_SECONDS,
  prompt: { required: true, ...PROMPT },
  negativePrompt: NEGATIVE,
  media: { shape: 'none', slots: [] },
  params: PARAMS,
  ...SILENT,
  quota: wanQuota('wan2.2-t2v-plus', 2, 2),
  price: wanPrice({ '480P': 0.14, '1080P': 0.7 }),
  billing: { seconds: 'output' },
  result: RESULT,
};

function i2v(name: 'wan2.2-i2v-flash' | 'wan2.2-i2v-plus'): ModelEntry {
  const flash = name === 'wan2.2-i2v-flash';
  return {
    name,
    vendor: 'wan',
    family: 'wan2.2',
    variant: 'i2v',
    sources: [WAN_PAGES.i2vLegacy, WAN_PAGES.rateLimit, WAN_PAGES.pricing],
    endpoint: VIDEO_SYNTHESIS_PATH,
    // The 国际 rate-limit table lists wan2.2-i2v-plus, not the flash model.
    regions: flash ? ['cn-beijing'] : ['cn-beijing', 'ap-southeast-1'],
    sizing: flash ? { kind: 'resolution', tiers: ['480P', '720P', '1080P'], serverDefault: '720P' } : { kind: 'resolution', tiers: ['480P', '1080P'], serverDefault: '1080P' },
    duration: FIVE_SECONDS,
    prompt: { required: false, ...PROMPT },
    negativePrompt: NEGATIVE,
    media: { shape: 'flat', slots: [{ type: 'img_url', kind: 'image', role: 'first-frame', min: 1, max: 1, urls: WAN_IMAGE_URLS, limits: wanImage(10) }] },
    params: PARAMS,
    ...SILENT,
    quota: wanQuota(name, 2, 2),
    price: wanPrice(flash ? { '480P': 0.1, '720P': 0.2, '1080P': 0.48 } : { '480P': 0.14, '1080P': 0.7 }),
    billing: { seconds: 'output' },
    result: RESULT,
  };
}

const KF2V_FLASH: ModelEntry = {
  name: 'wan2.2-kf2v-flash',
  vendor: 'wan',
  family: 'wan2.2',
  variant: 'kf2v',
  sources: [WAN_PAGES.kf2v, WAN_PAGES.rateLimit, WAN_PAGES.pricing, WAN_PAGES.overview],
  // "POST …/services/aigc/image2video/video-synthesis".
  endpoint: IMAGE2VIDEO_PATH,
  // The rate-limit and pricing pages list it for 中国内地 only (the overview says China +
  // International for Wan 2.2): Beijing only, the reading that cannot fail after a submit.
  regions: ['cn-beijing'],
  // "视频宽高比将与首帧图像 first_frame_url 的宽高比保持一致".
  sizing: { kind: 'resolution', tiers: ['480P', '720P', '1080P'], serverDefault: '720P' },
  duration: FIVE_SECONDS,
  prompt: { required: false, ...PROMPT },
  negativePrompt: NEGATIVE,
  media: {
    shape: 'flat',
    // "first_frame_url（必选）", "last_frame_url（可选）"; ≤ 10MB each.
    slots: [
      { type: 'first_frame_url', kind: 'image', role: 'first-frame', min: 1, max: 1, urls: WAN_IMAGE_URLS, limits: wanImage(10) },
      { type: 'last_frame_url', kind: 'image', role: 'last-frame', min: 0, max: 1, urls: WAN_IMAGE_URLS, limits: wanImage(10) },
    ],
  },
  params: PARAMS,
  ...SILENT,
  quota: wanQuota('wan2.2-kf2v-flash', 2, 2),
  price: wanPrice({ '480P': 0.1, '720P': 0.2, '1080P': 0.48 }),
  billing: { seconds: 'output' },
  result: RESULT,
  undocumented: ['Singapore: the overview lists Wan 2.2 internationally but no rate-limit or price row names this model there; refused outside Beijing'],
};

export const WAN22_MODELS: readonly ModelEntry[] = [T2V_PLUS, i2v('wan2.2-i2v-flash'), i2v('wan2.2-i2v-plus'), KF2V_FLASH];
