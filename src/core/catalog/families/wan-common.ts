// What the Wan (万相) pages share: source addresses, URL and file rules, the parameters every Wan
// model takes, and the rule that ties shot_type to prompt_extend. The models are in wan26.ts,
// wan27.ts and wan22.ts. Pages: help.aliyun.com/zh/model-studio/<slug>, cited by the slug of their copy
// in modelstudioai/skills skills/bailian-docs-llm-wiki/raw/model-api-reference/video-generation-api/
// (2026-05-28).
import type { FileLimits, ModelEntry, ParamRule, PriceRule, QuotaRule, UrlRule } from '../model-entry.js';
import type { RuleProblem } from '../rules/problems.js';
import { MB } from './common.js';

const PAGE = 'https://help.aliyun.com/zh/model-studio/';
export const WAN_PAGES = {
  /** "万相-文生视频API参考（2.1-2.6）" (legacy-wan-text-to-video-api-reference). */
  t2vLegacy: `${PAGE}legacy-wan-text-to-video-api-reference`,
  /** "万相-图生视频-基于首帧API参考（2.1-2.6）" (legacy-image-to-video-api-reference). */
  i2vLegacy: `${PAGE}image-to-video-api-reference`,
  /** "万相-参考生视频API参考" for wan2.6-r2v(-flash) (legacy-wan-reference-to-video-api-reference). */
  r2vLegacy: `${PAGE}legacy-wan-reference-to-video-api-reference`,
  /** "万相-图生视频-基于首尾帧API参考" (legacy-image-to-video-by-first-and-last-frame-api-reference). */
  kf2v: `${PAGE}legacy-image-to-video-by-first-and-last-frame-api-reference`,
  /** "万相2.7-文生视频API参考" (text-to-video-api-reference). */
  t2v27: `${PAGE}text-to-video-api-reference`,
  /** "万相2.7-图生视频API参考" (image-to-video-general-api-reference). */
  i2v27: `${PAGE}image-to-video-general-api-reference`,
  /** "万相2.7-参考生视频API参考" (wan-video-to-video-api-reference). */
  r2v27: `${PAGE}wan-video-to-video-api-reference`,
  /** "万相2.7-视频编辑API参考" (wan-video-editing-api-reference). */
  edit27: `${PAGE}wan-video-editing-api-reference`,
  rateLimit: `${PAGE}rate-limit (万相系列)`,
  pricing: `${PAGE}model-pricing (万相)`,
  overview: `${PAGE}video-generate-edit-model`,
} as const;

/** Images: public http(s) URL, oss:// temporary URL, or data:{mime};base64,… ("支持输入的格式" 1–3). */
export const WAN_IMAGE_URLS: UrlRule = { schemes: ['http', 'https', 'oss', 'data'], source: `${WAN_PAGES.i2vLegacy} (img_url)` };
/** Audio and video: public http(s) URL or oss:// temporary URL; no base64. */
export const WAN_MEDIA_URLS: UrlRule = { schemes: ['http', 'https', 'oss'], source: `${WAN_PAGES.i2vLegacy} (audio_url)` };

/** "JPEG、JPG、PNG（不支持透明通道）、BMP、WEBP; [240,8000] px; wan2.6/2.5/2.7 ≤ 20MB, wan2.2/2.1 ≤ 10MB"; 2.7 adds "1:8～8:1". */
export function wanImage(maxMb: number, ratioLimited = false): FileLimits {
  return {
    formats: ['jpg', 'jpeg', 'png', 'bmp', 'webp'],
    maxBytes: maxMb * MB,
    minSide: 240,
    maxSide: 8000,
    alphaAllowed: false,
    ...(ratioLimited ? { ratio: { min: 1 / 8, max: 8 } } : {}),
  };
}
/** audio_url on 2.5/2.6: "wav、mp3; 3～30s; ≤ 15MB" (longer audio is cut to the video's length). */
export const WAN_AUDIO: FileLimits = { formats: ['wav', 'mp3'], maxBytes: 15 * MB, seconds: { min: 3, max: 30 } };
/** audio_url / driving_audio on 2.7: "wav、mp3; 2～30s; ≤ 15MB". */
export const WAN27_AUDIO: FileLimits = { formats: ['wav', 'mp3'], maxBytes: 15 * MB, seconds: { min: 2, max: 30 } };
/** A Wan video input: "mp4、mov; ≤ 100MB", its length per page; 2.7 also "[240,4096] px, 1:8～8:1". */
export function wanVideo(seconds: { min: number; max: number }, sized = false): FileLimits {
  return { formats: ['mp4', 'mov'], maxBytes: 100 * MB, seconds, ...(sized ? { minSide: 240, maxSide: 4096, ratio: { min: 1 / 8, max: 8 } } : {}) };
}

export const PROMPT_EXTEND: ParamRule = { name: 'prompt_extend', type: 'boolean', serverDefault: true, doc: 'Let the server rewrite the prompt with an LLM. Default true.' };
export const WAN_SHOT_TYPE: ParamRule = {
  name: 'shot_type',
  type: 'enum',
  values: ['single', 'multi'],
  serverDefault: 'single',
  doc: 'Wan 2.6: one continuous shot or several (on t2v/i2v only effective with prompt_extend). Default single.',
};
export const WAN_WATERMARK: ParamRule = { name: 'watermark', type: 'boolean', serverDefault: false, doc: 'Add the "AI生成" mark at the bottom right. Default false.' };
/** wan2.6 i2v-flash and r2v-flash only: sound is on unless asked off ("true：默认值，输出有声视频"). */
export const WAN_AUDIO_ON: ParamRule = { name: 'audio', type: 'boolean', serverDefault: true, doc: 'wan2.6 flash: generate sound (default true; silence must be asked for, and is billed lower).' };

/** The five Wan 2.7 aspect ratios and the pixels each gives per tier (the pages' table). */
export const WAN27_RATIOS = ['16:9', '9:16', '1:1', '4:3', '3:4'] as const;
export const WAN27_PIXELS = {
  '720P': { '16:9': '1280*720', '9:16': '720*1280', '1:1': '960*960', '4:3': '1104*832', '3:4': '832*1104' },
  '1080P': { '16:9': '1920*1080', '9:16': '1080*1920', '1:1': '1440*1440', '4:3': '1648*1248', '3:4': '1248*1648' },
} as const;

/** Wan ≤ 2.6 size tables ("480P档位", "720P档位", "1080P档位"). */
export const WAN_SIZES = {
  '480P': ['832*480', '480*832', '624*624'],
  '720P': ['1280*720', '720*1280', '960*960', '1088*832', '832*1088'],
  '1080P': ['1920*1080', '1080*1920', '1440*1440', '1632*1248', '1248*1632'],
} as const;

/** Every Wan model has a pool of its own in the rate-limit tables (RPS / running tasks). */
export function wanQuota(model: string, perSecond: number, running: number): QuotaRule {
  return { family: model, runningTasks: running, submitsPerSecond: perSecond, source: WAN_PAGES.rateLimit };
}

/** Beijing (中国内地) prices, CNY per second of output. */
export function wanPrice(perSecond: PriceRule['perSecond']): PriceRule {
  return { currency: 'CNY', region: 'cn-beijing', perSecond, source: WAN_PAGES.pricing };
}

/** Wan: multi-shot is done by the prompt rewriter, so it does nothing without it. */
export function shotTypeNeedsPromptExtend(view: { get(f: string): unknown }, model: ModelEntry): RuleProblem[] {
  const extend = view.get('prompt_extend') ?? model.params.find((p) => p.name === 'prompt_extend')?.serverDefault;
  if (view.get('shot_type') !== 'multi' || extend !== false) return [];
  return [
    {
      severity: 'warning',
      code: 'shot-type-ineffective',
      klass: 'parameter',
      at: { field: 'shot_type' },
      message: `shot_type: multi has no effect on ${model.name} when prompt_extend is false`,
      hint: 'set prompt_extend: true, or drop shot_type',
    },
  ];
}

/** Wan 2.7 has no shot_type: "通过 prompt 自然语言控制镜头结构，无需配置shot_type 参数，配置也不生效". */
export const WAN27_HINTS: Readonly<Record<string, string>> = {
  shot_type: 'Wan 2.7 takes the shot structure from the prompt: write "生成多镜头视频" or timed shots ("第1个镜头[0-3秒] …") and drop shot_type',
};
