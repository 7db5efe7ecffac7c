// Wan (万相) video models. Sources (help.aliyun.com/zh/model-studio/…, copies in
// modelstudioai/skills skills/bailian-docs-llm-wiki/raw/model-api-reference/video-generation-api/):
//   image-to-video-api-reference ("万相-图生视频-基于首帧API参考（2.1-2.6）", 2026 copy 1ad08fa);
//   rate-limit; model-pricing; video-generate-edit-model (model overview, regions).
import type { FileLimits, ModelEntry, ParamRule, UrlRule } from '../model-entry.js';
import type { RuleProblem } from '../rules/problems.js';
import { MB, SEED } from './common.js';
import { VIDEO_SYNTHESIS_PATH } from './paths.js';

const PAGE = 'https://help.aliyun.com/zh/model-studio/';
const I2V_PAGE = `${PAGE}image-to-video-api-reference`;
const RATE_LIMIT = `${PAGE}rate-limit (万相)`;
const PRICING = `${PAGE}model-pricing (万相)`;
const OVERVIEW = `${PAGE}video-generate-edit-model`;

/** Images: public http(s) URL, oss:// temporary URL, or data:{mime};base64,… ("支持输入的格式" 1–3). */
export const WAN_IMAGE_URLS: UrlRule = { schemes: ['http', 'https', 'oss', 'data'], source: `${I2V_PAGE} (img_url)` };
/** Audio and video: public http(s) URL or oss:// temporary URL; no base64. */
export const WAN_MEDIA_URLS: UrlRule = { schemes: ['http', 'https', 'oss'], source: `${I2V_PAGE} (audio_url)` };

/** "JPEG、JPG、PNG（不支持透明通道）、BMP、WEBP; [240,8000] px; wan2.6/2.5 ≤ 20MB, wan2.2/2.1 ≤ 10MB". */
export function wanImage(maxMb: number): FileLimits {
  return { formats: ['jpg', 'jpeg', 'png', 'bmp', 'webp'], maxBytes: maxMb * MB, minSide: 240, maxSide: 8000, alphaAllowed: false };
}
/** audio_url: "wav、mp3; 3～30s; ≤ 15MB" (longer audio is cut to the video's length). */
export const WAN_AUDIO: FileLimits = { formats: ['wav', 'mp3'], maxBytes: 15 * MB, seconds: { min: 3, max: 30 } };

export const PROMPT_EXTEND: ParamRule = { name: 'prompt_extend', type: 'boolean', serverDefault: true, doc: 'Let the server rewrite the prompt with an LLM. Default true.' };
export const WAN_SHOT_TYPE: ParamRule = {
  name: 'shot_type',
  type: 'enum',
  values: ['single', 'multi'],
  serverDefault: 'single',
  doc: 'Wan 2.6: one continuous shot or several; only effective with prompt_extend. Default single.',
};
export const WAN_WATERMARK: ParamRule = { name: 'watermark', type: 'boolean', serverDefault: false, doc: 'Add the "AI生成" mark at the bottom right. Default false.' };
const AUDIO_ON: ParamRule = { name: 'audio', type: 'boolean', serverDefault: true, doc: 'wan2.6 flash: generate sound (default true; silence must be asked for, and is billed lower).' };

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

const WAN26_I2V_FLASH: ModelEntry = {
  name: 'wan2.6-i2v-flash',
  vendor: 'wan',
  family: 'wan2.6',
  variant: 'i2v',
  sources: [I2V_PAGE, RATE_LIMIT, PRICING, OVERVIEW],
  endpoint: VIDEO_SYNTHESIS_PATH,
  // "以下模型适用于中国内地和国际部署模式"; the rate-limit tables list it for Beijing and Singapore.
  regions: ['cn-beijing', 'ap-southeast-1'],
  sizing: { kind: 'resolution', tiers: ['720P', '1080P'], serverDefault: '1080P' },
  duration: { min: 2, max: 15, serverDefault: 5 },
  prompt: { required: false, maxChars: 1500, overLength: 'truncated' },
  negativePrompt: { maxChars: 500, overLength: 'truncated' },
  media: {
    shape: 'flat',
    slots: [
      { type: 'img_url', kind: 'image', role: 'first-frame', min: 1, max: 1, urls: WAN_IMAGE_URLS, limits: wanImage(20) },
      { type: 'audio_url', kind: 'audio', role: 'audio', min: 0, max: 1, urls: WAN_MEDIA_URLS, limits: WAN_AUDIO },
    ],
  },
  // audio defaults to TRUE on wan2.6-i2v-flash: silence must be asked for explicitly.
  params: [PROMPT_EXTEND, WAN_SHOT_TYPE, AUDIO_ON, WAN_WATERMARK, SEED],
  audio: 'parameter',
  crossRules: [shotTypeNeedsPromptExtend],
  quota: { family: 'wan2.6-i2v-flash', runningTasks: 5, submitsPerSecond: 5, source: RATE_LIMIT },
  price: { currency: 'CNY', region: 'cn-beijing', perSecond: { '720P': { audio: 0.3, silent: 0.15 }, '1080P': { audio: 0.5, silent: 0.25 } }, source: PRICING },
  billing: { seconds: 'output' },
  result: { srAsString: false, urlTtlHours: 24, fps: 30 },
};

export const WAN_MODELS: readonly ModelEntry[] = [WAN26_I2V_FLASH];
