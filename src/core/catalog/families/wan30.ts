// Wan 3.0 (万相3.0, "全能参考", invite-only since 2026-08-06): one model for text, first (and
// last) frame, and references — images, videos and audio counted apart as 图N / 视频N / 音频N,
// plus one document (`file`) or one web page (`link`). Workspace hosts only, in five regions.
// Up to 30 s (or -1: the model chooses), sound on by default at the same price.
// Source: help.aliyun.com/zh/model-studio/wan3-video-generation-api-reference (copy
// wan-api-reference/wan3-video-generation-api-reference.md @1a56320 in modelstudioai/skills).
import type { CrossRule, ModelEntry, UrlRule } from '../model-entry.js';
import { MB, SEED } from './common.js';
import { VIDEO_SYNTHESIS_PATH } from './paths.js';
import { PROMPT_EXTEND, WAN_IMAGE_URLS, WAN_MEDIA_URLS, WAN_WATERMARK, wanImage } from './wan-common.js';

const PAGE = 'https://help.aliyun.com/zh/model-studio/wan3-video-generation-api-reference';
/** link: "公开网页的URL地址 … 支持HTTP或HTTPS协议" only. */
const LINK_URLS: UrlRule = { schemes: ['http', 'https'], source: `${PAGE} (type=link)` };
const REFERENCES = ['reference_image', 'reference_video', 'reference_audio', 'file', 'link'];

/** "prompt 和 media 必填其一". */
const promptOrMedia: CrossRule = (view, model) => {
  const prompt = view.get('prompt');
  const media = view.get('media');
  if ((typeof prompt === 'string' && prompt.trim() !== '') || (Array.isArray(media) && media.length > 0)) return [];
  return [{ severity: 'error', code: 'prompt-missing', klass: 'required', at: {}, message: `${model.name} needs a prompt or media (at least one)`, hint: 'add prompt: <what happens>, or media: [{type: reference_image, url: …}]' }];
};

function entry(name: 'wan3.0-video' | 'wan3.0-video-prime'): ModelEntry {
  return {
    name,
    vendor: 'wan',
    family: 'wan3.0',
    variant: 'r2v',
    sources: [PAGE],
    endpoint: VIDEO_SYNTHESIS_PATH,
    // Endpoints: Beijing, Singapore, Tokyo, Frankfurt and Virginia, each a workspace host.
    regions: ['cn-beijing', 'ap-southeast-1', 'ap-northeast-1', 'eu-central-1', 'us-east-1'],
    workspaceOnly: true,
    sizing: { kind: 'resolution-ratio', tiers: ['480P', '720P', '1080P'], serverDefault: '1080P', ratioField: 'ratio', ratios: ['adaptive', '16:9', '4:3', '1:1', '3:4', '9:16'], ratioDefault: 'adaptive' },
    // "[2, 30]，默认值为5"; "传 -1 时：智能时长模式".
    duration: { min: 2, max: 30, serverDefault: 5, special: { [-1]: 'the model chooses the length' } },
    // "不超过20000个字符，超过部分会自动截断"; required unless media are given (promptOrMedia).
    prompt: { required: false, maxChars: 20000, overLength: 'truncated' },
    media: {
      shape: 'list',
      slots: [
        { type: 'first_frame', kind: 'image', role: 'first-frame', min: 0, max: 1, urls: WAN_IMAGE_URLS, limits: wanImage(20, true) },
        { type: 'last_frame', kind: 'image', role: 'last-frame', min: 0, max: 1, urls: WAN_IMAGE_URLS, limits: wanImage(20, true) },
        { type: 'reference_image', kind: 'image', role: 'reference-image', min: 0, max: 10, urls: WAN_IMAGE_URLS, limits: wanImage(20, true) },
        // "单个[1, 15]秒，总时长不大于15秒; [240, 4096] px; ≤ 100MB".
        { type: 'reference_video', kind: 'video', role: 'reference-video', min: 0, max: 5, urls: WAN_MEDIA_URLS, limits: { formats: ['mp4', 'mov'], maxBytes: 100 * MB, seconds: { min: 1, max: 15 }, minSide: 240, maxSide: 4096 } },
        { type: 'reference_audio', kind: 'audio', role: 'audio', min: 0, max: 5, urls: WAN_MEDIA_URLS, limits: { formats: ['wav', 'mp3'], maxBytes: 15 * MB, seconds: { min: 1, max: 15 } } },
        { type: 'file', kind: 'document', role: 'document', min: 0, max: 1, urls: WAN_MEDIA_URLS },
        { type: 'link', kind: 'link', role: 'web-page', min: 0, max: 1, urls: LINK_URLS },
      ],
      // "reference_xx/file/link 类型和 first_frame/last_frame 类型互斥"; "file … 不可与 link 同时输入".
      exclusive: [['first_frame+last_frame', REFERENCES.join('+')], ['file', 'link']],
      promptRefs: {
        style: 'positional',
        tokens: [
          { pattern: '图(\\d+)', display: '图N', counts: ['reference_image'] },
          { pattern: '视频(\\d+)', display: '视频N', counts: ['reference_video'] },
          { pattern: '音频(\\d+)', display: '音频N', counts: ['reference_audio'] },
        ],
      },
    },
    // "audio … true：默认值 … 开关声音价格相同".
    params: [{ name: 'audio', type: 'boolean', serverDefault: true, doc: 'Wan 3.0: sound on (default true, same price either way).' }, SEED, PROMPT_EXTEND, WAN_WATERMARK],
    audio: 'parameter',
    crossRules: [promptOrMedia],
    quota: { family: name, runningTasks: 5, submitsPerSecond: 5, source: 'assumed: the rate-limit copies have no Wan 3.0 row' },
    billing: { seconds: 'output' },
    result: { srAsString: false, urlTtlHours: 24, fps: 30 },
    undocumented: [
      'price and quota: not in the pricing or rate-limit copies (invite-only); no estimate unless prices are configured, a pool of 5 assumed',
      'with reference videos "输入视频总时长 + 输出视频时长不超过30秒": not summed before the run',
      'reference videos and audio "总时长不大于15秒" each: checked per file, not summed',
      'file: docx/pdf/pptx… ≤ 100MB, ≤ 50 pages; not checked on local files',
    ],
    unsupportedHints: { negative_prompt: 'Wan 3.0 has no negative_prompt: say what to avoid in the prompt', shot_type: 'Wan 3.0 takes the shot structure from the prompt: drop shot_type' },
  };
}

export const WAN30_MODELS: readonly ModelEntry[] = [entry('wan3.0-video'), entry('wan3.0-video-prime')];
