// MiniMax-H3 on Model Studio: text, first frame, last frame, first and last frame, or multimodal
// reference (images `image_url`, videos `feature`, audio `driving_audio`), never the two kinds
// together. Beijing only, and only through workspace hosts ({WorkspaceId}.cn-beijing.maas…).
// resolution 768P | 2K and duration 4–15 are required; a prompt over 7000 characters is refused;
// no seed. Source: help.aliyun.com/zh/model-studio/minimax-video-generation-api-reference (copy
// minimax-video-api-reference/minimax-video-generation-api-reference.md @15681800 in
// modelstudioai/skills, read through the search index).
import type { CrossRule, FileLimits, ModelEntry, UrlRule } from '../model-entry.js';
import { MB } from './common.js';
import { VIDEO_SYNTHESIS_PATH } from './paths.js';

const PAGE = 'https://help.aliyun.com/zh/model-studio/minimax-video-generation-api-reference';

// "支持 HTTP 或 HTTPS 协议"; oss:// (a local file) is not named: accepted with a warning.
const URLS: UrlRule = { schemes: ['http', 'https', 'oss'], source: `${PAGE} (media.url)`, undocumented: { schemes: ['oss'], note: 'the MiniMax page documents public HTTP(S) URLs only' } };
const SIDES = { minSide: 256, maxSide: 5760, ratio: { min: 0.4, max: 2.5 } };
/** "JPG、JPEG、PNG、WEBP、HEIC、HEIF; [256, 5760] px; 0.4–2.5; ≤ 30MB". */
const IMAGE: FileLimits = { formats: ['jpg', 'jpeg', 'png', 'webp', 'heic', 'heif'], maxBytes: 30 * MB, ...SIDES };
/** "MP4、MOV; 单段 [2, 15] 秒，总时长不超过15秒; ≤ 50MB". */
const VIDEO: FileLimits = { formats: ['mp4', 'mov'], maxBytes: 50 * MB, seconds: { min: 2, max: 15 }, ...SIDES };
/** "WAV、MP3; 单段 [2, 15] 秒; ≤ 15MB". */
const AUDIO: FileLimits = { formats: ['wav', 'mp3'], maxBytes: 15 * MB, seconds: { min: 2, max: 15 } };

/** "文生视频：必填，且不能为 adaptive". */
const textNeedsRatio: CrossRule = (view, model) => {
  const media = view.get('media');
  if (Array.isArray(media) && media.length > 0) return [];
  const ratio = view.get('ratio');
  if (ratio !== undefined && ratio !== 'adaptive') return [];
  return [
    {
      severity: 'error',
      code: 'ratio-missing',
      klass: 'required',
      at: ratio === undefined ? {} : { field: 'ratio' },
      message: `${model.name} needs an explicit ratio for text-to-video${ratio === 'adaptive' ? ' (adaptive follows an input, and there is none)' : ''}`,
      hint: 'add ratio: one of 16:9, 9:16, 1:1, 4:3, 3:4, 21:9',
    },
  ];
};

const H3: ModelEntry = {
  name: 'MiniMax/MiniMax-H3',
  vendor: 'minimax',
  family: 'minimax-h3',
  variant: 'i2v',
  sources: [PAGE],
  endpoint: VIDEO_SYNTHESIS_PATH,
  // "本文档仅适用于华北2（北京）地域"; the only endpoint given is the workspace host.
  regions: ['cn-beijing'],
  workspaceOnly: true,
  // "resolution（必选）768P | 2K"; ratio "默认为 adaptive"; with images the ratio "会被忽略".
  sizing: { kind: 'resolution-ratio', tiers: ['768P', '2K'], ratioField: 'ratio', ratios: ['adaptive', '16:9', '9:16', '1:1', '4:3', '3:4', '21:9'], ratioDefault: 'adaptive', ratioIgnoredWith: ['first_frame', 'last_frame'] },
  // "duration（必选）… [4, 15]".
  duration: { min: 4, max: 15 },
  // "不超过7000个字符，超过将返回错误".
  prompt: { required: true, maxChars: 7000, overLength: 'refused' },
  media: {
    shape: 'list',
    slots: [
      { type: 'first_frame', kind: 'image', role: 'first-frame', min: 0, max: 1, urls: URLS, limits: IMAGE },
      { type: 'last_frame', kind: 'image', role: 'last-frame', min: 0, max: 1, urls: URLS, limits: IMAGE },
      { type: 'image_url', kind: 'image', role: 'reference-image', min: 0, max: 9, urls: URLS, limits: IMAGE },
      { type: 'feature', kind: 'video', role: 'reference-video', min: 0, max: 3, urls: URLS, limits: VIDEO },
      { type: 'driving_audio', kind: 'audio', role: 'driving-audio', min: 0, max: 3, urls: URLS, limits: AUDIO },
    ],
    // "图生视频与多模态参考生视频互斥".
    exclusive: [['first_frame+last_frame', 'image_url+feature+driving_audio']],
  },
  params: [{ name: 'watermark', type: 'boolean', serverDefault: false, doc: 'MiniMax: the "AI生成" mark. Default false.' }],
  audio: 'always',
  crossRules: [textNeedsRatio],
  quota: { family: 'minimax', runningTasks: 5, submitsPerSecond: 5, source: 'assumed: the rate-limit copies have no MiniMax row' },
  // "计费总秒数，等于 input_seconds + output_seconds" (input = the reference videos, ≤ 15 s in all).
  billing: { seconds: 'input+output', maxInputSeconds: 15, inputTypes: ['feature'] },
  result: { srAsString: true, urlTtlHours: 24 * 30 },
  undocumented: [
    'oss:// inputs (local files) are not named on the MiniMax page; accepted with a warning',
    'price and quota: not in the pricing or rate-limit copies; no estimate unless prices are configured, a pool of 5 assumed',
    'reference videos and audio "总时长不超过15秒" (15 s in all): checked per file, not summed',
    'more than 5 reference images are billed per image (usage.image_count): not estimated',
    'whether the output has sound: not said; recorded as with sound',
  ],
  unsupportedHints: {
    seed: 'MiniMax-H3 has no seed parameter: remove seed',
    negative_prompt: 'MiniMax-H3 has no negative_prompt: say what to avoid in the prompt',
  },
};

export const MINIMAX_MODELS: readonly ModelEntry[] = [H3];
