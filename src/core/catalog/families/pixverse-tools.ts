// The newer PixVerse (爱诗) models on Model Studio: pixverse-v6-r2v-omni (image and video
// references), pixverse-upscale (to 4K), pixverse-lipsync (a face video driven by audio or TTS)
// and pixverse-motioncontrol (a character image moved by a motion video). Beijing only; media
// types `image_url` / `video_url` / `audio_url` and the TTS items that carry `id` / `content`
// instead of a url. Sources (help.aliyun.com/zh/model-studio/…, copies in modelstudioai/skills
// …/video-generation-api/pixverse-api-reference/, 12d1fcc): pixverse-upscale-api-reference,
// pixverse-lipsync-api-reference, pixverse-motioncontrol-api-reference; v6-r2v-omni from
// dashscope-video-api.md §5 (its own page is not in the copies read).
import type { FileLimits, MediaSlot, ModelEntry, QuotaRule, UrlRule } from '../model-entry.js';
import { MB, SEED } from './common.js';
import { VIDEO_SYNTHESIS_PATH } from './paths.js';
import { AUDIO_OFF, PIXVERSE_IMAGE, PIXVERSE_TIERS, PIXVERSE_URLS, WATERMARK_AI } from './pixverse.js';

const PAGE = 'https://help.aliyun.com/zh/model-studio/';
const PAGES = {
  upscale: `${PAGE}pixverse-upscale-api-reference`,
  lipsync: `${PAGE}pixverse-lipsync-api-reference`,
  motion: `${PAGE}pixverse-motioncontrol-api-reference`,
  omni: `${PAGE}pixverse-reference-to-video-api-reference (v6-r2v-omni, per dashscope-video-api.md §5)`,
} as const;

const VIDEO_URLS: UrlRule = { ...PIXVERSE_URLS, source: `${PAGES.upscale} (media.url)`, undocumented: { schemes: ['oss'], note: 'the PixVerse pages document only public HTTP(S) URLs' } };
const video = (maxMb: number, maxSeconds: number, formats: readonly string[]): FileLimits => ({ formats, maxBytes: maxMb * MB, seconds: { max: maxSeconds } });
const VIDEO_SLOT = (role: MediaSlot['role'], limits: FileLimits): MediaSlot => ({ type: 'video_url', kind: 'video', role, min: 1, max: 1, urls: VIDEO_URLS, limits });

// Not in the rate-limit copies: one shared pool of 5, as the PixVerse families have (the stricter reading).
const TOOLS_POOL: QuotaRule = { family: 'pixverse-tools', runningTasks: 5, submitsPerSecond: 5, source: 'assumed: the rate-limit page has no row for upscale, lipsync or motioncontrol' };
const NO_EXPIRY = { srAsString: true, fps: 24 } as const;
const COMMON = { vendor: 'pixverse', endpoint: VIDEO_SYNTHESIS_PATH, regions: ['cn-beijing'], result: NO_EXPIRY } as const;
const OSS_NOTE = 'oss:// inputs (local files) are not named on the PixVerse pages; accepted with a warning';

const UPSCALE: ModelEntry = {
  ...COMMON,
  name: 'pixverse/pixverse-upscale',
  family: 'pixverse-upscale',
  variant: 'upscale',
  sources: [PAGES.upscale],
  // "固定输出4K（3840×2160）分辨率视频".
  sizing: { kind: 'input', tier: '4K' },
  duration: { none: true },
  prompt: { required: false, maxChars: 0, overLength: 'refused', none: true },
  // "必须包含 1 个视频元素 … MP4、MOV、WebM; 不支持 4K 及以上; ≤ 100MB; ≤ 30 秒".
  media: { shape: 'list', slots: [VIDEO_SLOT('source-video', video(100, 30, ['mp4', 'mov', 'webm']))] },
  params: [WATERMARK_AI, SEED],
  audio: 'input',
  quota: TOOLS_POOL,
  // "计费时长（秒）。为用户上传视频时长向上取整".
  billing: { seconds: 'input', maxInputSeconds: 30, inputTypes: ['video_url'] },
  undocumented: [OSS_NOTE, 'price: not in the pricing copy; no estimate unless prices are configured', 'quota: not in the rate-limit copy; a shared pool of 5 assumed'],
};

/** "video_url … ≤ 250MB, ≤ 300 秒, MP4、MOV、WebM"; "audio_url … ≤ 100MB, ≤ 300 秒, MP3、WAV、M4A、AAC". */
const LIPSYNC: ModelEntry = {
  ...COMMON,
  name: 'pixverse/pixverse-lipsync',
  family: 'pixverse-lipsync',
  variant: 'lipsync',
  sources: [PAGES.lipsync],
  sizing: { kind: 'input' },
  duration: { none: true },
  prompt: { required: false, maxChars: 0, overLength: 'refused', none: true },
  media: {
    shape: 'list',
    slots: [
      VIDEO_SLOT('source-video', video(250, 300, ['mp4', 'mov', 'webm'])),
      { type: 'audio_url', kind: 'audio', role: 'audio', min: 0, max: 1, urls: VIDEO_URLS, limits: { formats: ['mp3', 'wav', 'm4a', 'aac'], maxBytes: 100 * MB, seconds: { max: 300 } } },
      // "取值为 auto 时随机选择音色，取值为数字字符串时按音色 ID 指定".
      { type: 'lip_sync_tts_speaker_id', kind: 'id', role: 'tts-speaker', min: 0, max: 1, valueKey: 'id' },
      // "不超过 200 字（UTF-8 编码）".
      { type: 'lip_sync_tts_content', kind: 'text', role: 'tts-text', min: 0, max: 1, valueKey: 'content', maxChars: 200 },
    ],
    // "audio_url 与 lip_sync_tts_speaker_id + lip_sync_tts_content 二选一，不允许同时传入".
    combos: [['video_url', 'audio_url'], ['video_url', 'lip_sync_tts_speaker_id', 'lip_sync_tts_content']],
  },
  params: [WATERMARK_AI],
  audio: 'always',
  quota: TOOLS_POOL,
  // "音频驱动方式为音频时长向上取整；TTS 方式为文本字节数（UTF-8）÷ 15 向上取整".
  billing: { seconds: 'input', maxInputSeconds: 300, inputTypes: ['audio_url'], tts: { type: 'lip_sync_tts_content', bytesPerSecond: 15 } },
  undocumented: [
    OSS_NOTE,
    'price: not in the pricing copy; no estimate unless prices are configured',
    'quota: not in the rate-limit copy; a shared pool of 5 assumed',
    'billed seconds are estimated at the 300 s ceiling when the audio is a remote URL',
  ],
  unsupportedHints: { seed: 'pixverse-lipsync has no seed: remove it' },
};

const MOTIONCONTROL: ModelEntry = {
  ...COMMON,
  name: 'pixverse/pixverse-motioncontrol',
  family: 'pixverse-motioncontrol',
  variant: 'motioncontrol',
  sources: [PAGES.motion],
  // "resolution（必选）… 360P、540P、720P"; the output follows the inputs' aspect ratio.
  sizing: { kind: 'resolution', tiers: ['360P', '540P', '720P'] },
  duration: { none: true },
  prompt: { required: false, maxChars: 0, overLength: 'refused', none: true },
  media: {
    shape: 'list',
    // "必须包含 1 个 image_url 类型的角色图片和 1 个 video_url 类型的动作视频"; image ≤ 20MB, ≤ 10000 px; video ≤ 100MB, ≤ 30 s, MP4/MOV.
    slots: [
      { type: 'image_url', kind: 'image', role: 'reference-image', min: 1, max: 1, urls: PIXVERSE_URLS, limits: PIXVERSE_IMAGE },
      VIDEO_SLOT('motion-video', video(100, 30, ['mp4', 'mov'])),
    ],
  },
  params: [WATERMARK_AI],
  audio: 'never',
  quota: TOOLS_POOL,
  // "输出视频时长与输入的动作参考视频时长一致，计费按向上取整".
  billing: { seconds: 'input', maxInputSeconds: 30, inputTypes: ['video_url'] },
  undocumented: [OSS_NOTE, 'price: not in the pricing copy', 'quota: not in the rate-limit copy; a shared pool of 5 assumed', 'whether the output has sound: not said; recorded silent'],
  unsupportedHints: { seed: 'pixverse-motioncontrol has no seed: remove it' },
};

const R2V_OMNI: ModelEntry = {
  ...COMMON,
  name: 'pixverse/pixverse-v6-r2v-omni',
  family: 'pixverse-v6',
  variant: 'r2v',
  sources: [PAGES.omni],
  // resolution 360P–1080P + aspect_ratio (auto or a ratio); a public script reports "Required
  // field aspect_ratio are missing or empty": required.
  sizing: { kind: 'resolution-ratio', tiers: PIXVERSE_TIERS, ratioField: 'aspect_ratio', ratios: ['auto', '16:9', '4:3', '1:1', '3:4', '9:16', '3:2', '2:3', '21:9'], ratioRequired: true },
  // "duration must be 0 when a video reference is present; with images only it is 1–15".
  duration: { min: 1, max: 15, withMedia: { types: ['video_url'], rule: { values: [0], special: { 0: "the reference video's length" } }, why: 'a reference video sets the length (duration 0)' } },
  prompt: { required: true, maxChars: 5000, overLength: 'truncated' },
  media: {
    shape: 'list',
    slots: [
      { type: 'image_url', kind: 'image', role: 'reference-image', min: 0, max: 7, urls: PIXVERSE_URLS, limits: PIXVERSE_IMAGE, refName: true },
      { type: 'video_url', kind: 'video', role: 'reference-video', min: 0, max: 1, urls: VIDEO_URLS, limits: video(100, 15, ['mp4', 'mov']) },
    ],
    totals: [{ types: ['image_url', 'video_url'], min: 1, max: 7 }],
    promptRefs: { style: 'ref-name' },
  },
  params: [AUDIO_OFF, WATERMARK_AI, SEED],
  audio: 'parameter',
  // The v6 family's pool (the rate-limit copy predates the model).
  quota: { family: 'pixverse-v6', runningTasks: 5, submitsPerSecond: 5, source: 'assumed: the v6 pool; the rate-limit copy predates the model' },
  billing: { seconds: 'output', maxInputSeconds: 15, inputTypes: ['video_url'] },
  undocumented: [
    OSS_NOTE,
    'its own API page was not among the copies read: the rules come from dashscope-video-api.md §5',
    'how many video_url references it takes: not found; one allowed',
    'reference video limits: not found; the upscale page’s 100 MB assumed and 15 s (the longest output)',
    'price: not in the pricing copy; no estimate unless prices are configured',
  ],
};

export const PIXVERSE_TOOL_MODELS: readonly ModelEntry[] = [R2V_OMNI, UPSCALE, LIPSYNC, MOTIONCONTROL];
