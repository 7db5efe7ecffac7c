// Kling (可灵) v3 on Model Studio: kling/kling-v3-video-generation (text, first frame, first and
// last frame) and kling/kling-v3-omni-video-generation (also reference images `refer`, a feature
// video and video editing of a `base` video). Beijing only. Sizing by `mode` (pro 1080P, std 720P)
// and `aspect_ratio`; no seed; sound OFF by default. Sources (help.aliyun.com/zh/model-studio/…,
// copy in modelstudioai/skills …/video-generation-api/kling-video-generation-api-reference.md,
// 2026-05-28, and the newer copy 7666511 under kling-api-reference/ for mode 4k, a prompt over
// 2500 characters refused, audio false with a video input, and no seed).
import type { Variant } from '../../types.js';
import type { CrossRule, FileLimits, MediaRule, MediaSlot, ModelEntry, ParamRule, UrlRule } from '../model-entry.js';
import type { RuleProblem } from '../rules/problems.js';
import { MB } from './common.js';
import { VIDEO_SYNTHESIS_PATH } from './paths.js';

const PAGE = 'https://help.aliyun.com/zh/model-studio/kling-video-generation-api-reference';
const RATE_LIMIT = 'https://help.aliyun.com/zh/model-studio/rate-limit (可灵)';
const PRICING = 'https://help.aliyun.com/zh/model-studio/model-pricing (可灵-视频生成)';

// "支持 HTTP 或 HTTPS 协议" only. oss:// (a local file) is not named: accepted with a warning.
const URLS: UrlRule = {
  schemes: ['http', 'https', 'oss'],
  source: `${PAGE} (media.url)`,
  undocumented: { schemes: ['oss'], note: 'the Kling page documents public HTTP(S) URLs only' },
};
/** "JPEG、JPG、PNG（不支持透明通道）; [300, 8000] px; 1:2.5 ~ 2.5:1; ≤ 10MB". */
const IMAGE: FileLimits = { formats: ['jpg', 'jpeg', 'png'], maxBytes: 10 * MB, minSide: 300, maxSide: 8000, ratio: { min: 0.4, max: 2.5 }, alphaAllowed: false };
/** "mp4、mov; 3～10s; [720, 2160] px; ≤ 200MB". */
const VIDEO: FileLimits = { formats: ['mp4', 'mov'], maxBytes: 200 * MB, seconds: { min: 3, max: 10 }, minSide: 720, maxSide: 2160 };

// "keep_original_sound … 当且仅当传入视频（type=base或feature）时生效", written on the video item
// (the page's example); the server's default is "no". Not pinned: an item key, absent = no.
const slot = (type: string, kind: 'image' | 'video', role: MediaSlot['role'], max: number): MediaSlot => ({
  type,
  kind,
  role,
  min: 0,
  max,
  urls: URLS,
  limits: kind === 'image' ? IMAGE : VIDEO,
  ...(kind === 'video' ? { itemKeys: { keep_original_sound: ['yes', 'no'] } } : {}),
});
const FRAMES = [slot('first_frame', 'image', 'first-frame', 1), slot('last_frame', 'image', 'last-frame', 1)];
const VIDEO_TYPES = ['base', 'feature'];

// "仅支持以下媒体素材组合，非法组合将报错".
const V3_MEDIA: MediaRule = { shape: 'list', slots: FRAMES, combos: [['first_frame'], ['first_frame', 'last_frame']] };
const OMNI_MEDIA: MediaRule = {
  shape: 'list',
  slots: [...FRAMES, slot('refer', 'image', 'reference-image', 7), slot('base', 'video', 'source-video', 1), slot('feature', 'video', 'reference-video', 1)],
  combos: [['first_frame'], ['first_frame', 'last_frame'], ['feature'], ['refer'], ['feature', 'refer'], ['feature', 'first_frame'], ['base'], ['base', 'refer']],
  // "通过<<<>>>的格式来指定某个主体、图片、视频 … 按照media数组顺序".
  promptRefs: {
    style: 'positional',
    tokens: [
      { pattern: '<<<image_(\\d+)>>>', display: '<<<image_N>>>', counts: ['first_frame', 'last_frame', 'refer'] },
      { pattern: '<<<video_(\\d+)>>>', display: '<<<video_N>>>', counts: ['base', 'feature'] },
    ],
  },
};

const multiShot: ParamRule = { name: 'multi_shot', in: 'input', type: 'boolean', serverDefault: false, doc: 'Kling: generate several shots. Default false.' };
const shotType: ParamRule = { name: 'shot_type', in: 'input', type: 'enum', values: ['intelligence', 'customize'], doc: 'Kling, with multi_shot: intelligence (the model plans the shots) or customize (multi_prompt).' };
const multiPrompt: ParamRule = {
  name: 'multi_prompt',
  in: 'input',
  type: 'object-list',
  // The page's examples send [] when no shot is customised; customize needs 1–6 (multiShotRules).
  max: 6,
  keys: { index: 'integer', prompt: 'string', duration: 'integer' },
  doc: 'Kling, shot_type customize: 1–6 shots {index, prompt (≤ 512 chars), duration}; the durations add up to duration.',
};
const elementList: ParamRule = { name: 'element_list', in: 'input', type: 'object-list', max: 7, keys: { element_id: 'integer' }, doc: 'Kling: subjects from the Kling subject-id list, as {element_id}.' };
const audio: ParamRule = { name: 'audio', type: 'boolean', serverDefault: false, doc: 'Kling: generate sound (billed higher; false with a video input). Default false.' };
const watermark: ParamRule = { name: 'watermark', type: 'boolean', serverDefault: false, doc: 'Kling: the "可灵AI" mark (newer page: also return a watermarked copy). Default false.' };

const problem = (code: string, field: string, message: string, hint: string, klass: RuleProblem['klass'] = 'parameter'): RuleProblem => ({ severity: 'error', code, klass, at: { field }, message, hint });

/** multi_shot needs shot_type; customize needs multi_prompt, whose durations add up to duration; otherwise a prompt. */
const multiShotRules: CrossRule = (view, model) => {
  const out: RuleProblem[] = [];
  const type = view.get('shot_type');
  if (view.get('multi_shot') === true && type === undefined) out.push(problem('shot-type-missing', 'multi_shot', `${model.name} needs shot_type when multi_shot is true`, 'add shot_type: intelligence or customize', 'required'));
  const shots = view.get('multi_prompt');
  if (type === 'customize' && (!Array.isArray(shots) || shots.length === 0)) out.push(problem('multi-prompt-missing', 'shot_type', `${model.name} needs multi_prompt with shot_type: customize`, 'add multi_prompt: [{index: 1, prompt: …, duration: …}]', 'required'));
  if (type !== 'customize') {
    const prompt = view.get('prompt');
    if (prompt === undefined || prompt === '') {
      const hasMedia = Array.isArray(view.get('media')) && (view.get('media') as unknown[]).length > 0;
      if (!hasMedia) out.push({ ...problem('prompt-missing', 'prompt', `${model.name} needs a prompt (or shot_type: customize with multi_prompt)`, 'add prompt: <what happens in the shot>', 'required'), at: {} });
    }
  }
  if (type === 'customize' && Array.isArray(shots) && shots.length > 0) {
    const duration = view.get('duration') ?? model.duration.serverDefault;
    const sum = shots.reduce((n: number, s) => n + (typeof (s as { duration?: unknown })?.duration === 'number' ? (s as { duration: number }).duration : 0), 0);
    if (typeof duration === 'number' && sum !== duration) out.push(problem('multi-prompt-duration', 'multi_prompt', `multi_prompt durations add up to ${sum} s, but duration is ${duration} s`, `make the shots add up to ${duration} s, or set duration: ${sum}`));
    shots.forEach((s, i) => {
      const text = (s as { prompt?: unknown })?.prompt;
      if (typeof text === 'string' && [...text].length > 512) out.push({ ...problem('multi-prompt-too-long', 'multi_prompt', `multi_prompt[${i}].prompt is ${[...text].length} characters; Kling cuts it at 512`, 'shorten it to 512 characters'), severity: 'warning', at: { field: 'multi_prompt', index: i, key: 'prompt' } });
    });
  }
  return out;
};

/** A video input forbids sound; refer images plus element_list subjects are at most 7 (4 with a video). */
const omniRules: CrossRule = (view, model) => {
  const out: RuleProblem[] = [];
  const media = Array.isArray(view.get('media')) ? (view.get('media') as { type?: unknown }[]) : [];
  const types = media.map((m) => m?.type);
  const withVideo = types.some((t) => VIDEO_TYPES.includes(String(t)));
  if (withVideo && view.get('audio') === true) out.push(problem('audio-with-video', 'audio', `${model.name} takes audio: false with a ${VIDEO_TYPES.join(' or ')} video`, 'set audio: false (keep_original_sound: yes keeps the video’s sound)'));
  const elements = Array.isArray(view.get('element_list')) ? (view.get('element_list') as unknown[]).length : 0;
  const refer = types.filter((t) => t === 'refer').length;
  const max = withVideo ? 4 : 7;
  if (refer + elements > max) out.push(problem('media-count', 'media', `${model.name} takes at most ${max} reference images and subjects together${withVideo ? ' with a video' : ''}, got ${refer} + ${elements}`, `keep at most ${max} refer items and element_list subjects in total`));
  return out;
};

function entry(name: string, variant: Variant, omni: boolean): ModelEntry {
  return {
    name,
    vendor: 'kling',
    family: 'kling-v3',
    variant,
    sources: [PAGE, RATE_LIMIT, PRICING],
    endpoint: VIDEO_SYNTHESIS_PATH,
    // "服务部署范围仅支持中国内地 … 北京接入地域".
    regions: ['cn-beijing'],
    // "pro：默认值 … 1080P; std … 720P"; the newer copy adds 4k. aspect_ratio is required for
    // text and reference video, and follows the first frame or the edited video otherwise.
    sizing: { kind: 'mode-aspect', modes: { pro: '1080P', std: '720P', '4k': '4K' }, modeDefault: 'pro', ratios: ['16:9', '9:16', '1:1'], ratioRequiredWithout: ['first_frame', 'base'] },
    duration: omni
      ? { min: 3, max: 15, serverDefault: 5, withMedia: { types: VIDEO_TYPES, rule: { min: 3, max: 10, serverDefault: 5 }, why: 'a reference or edited video limits the output to 10 s' } }
      : { min: 3, max: 15, serverDefault: 5 },
    // "不超过2500个字符" (the newer copy: longer is an error); required unless multi_prompt says it all.
    prompt: { required: false, maxChars: 2500, overLength: 'refused' },
    media: omni ? OMNI_MEDIA : V3_MEDIA,
    params: [multiShot, shotType, multiPrompt, elementList, audio, watermark],
    audio: 'parameter',
    crossRules: omni ? [multiShotRules, omniRules] : [multiShotRules],
    // "可灵系列的 4 个模型（图像及视频）共享 10 个并发数" per API key; 5 submits/s per model.
    quota: { family: 'kling', runningTasks: 10, submitsPerSecond: 5, source: RATE_LIMIT },
    price: {
      currency: 'CNY',
      region: 'cn-beijing',
      perSecond: { '720P': { audio: 0.9, silent: 0.6 }, '1080P': { audio: 1.2, silent: 0.8 } },
      // Omni "无声视频（有参考视频）": 0.9 / 1.2.
      ...(omni ? { withMedia: { types: VIDEO_TYPES, perSecond: { '720P': 0.9, '1080P': 1.2 } } } : {}),
      source: PRICING,
    },
    billing: { seconds: 'output' },
    result: { srAsString: false, urlTtlHours: 24 * 30 },
    undocumented: [
      'oss:// inputs (local files) are not named on the Kling page; accepted with a warning',
      'mode 4k: price not in the pricing copy; no estimate unless prices are configured',
      ...(omni ? ['with a base video the newer page says the input length wins over duration; billed here at the duration asked (at most 10 s)'] : []),
    ],
    unsupportedHints: {
      seed: 'Kling has no seed parameter: remove seed',
      resolution: 'Kling sizes by mode: pro (1080P), std (720P) or 4k, with aspect_ratio',
      negative_prompt: 'Kling has no negative_prompt: say what to avoid in the prompt',
    },
  };
}

export const KLING_MODELS: readonly ModelEntry[] = [entry('kling/kling-v3-video-generation', 't2v', false), entry('kling/kling-v3-omni-video-generation', 'r2v', true)];
