// HappyHorse 1.0 and 1.1 (Alibaba): t2v, i2v, r2v and (1.0) video edit on the video-generation
// path; resolution (+ ratio for t2v/r2v), a typed media list, prompts of 5000 characters (2500
// Chinese), and a watermark that is ON unless turned off. Sources (help.aliyun.com/zh/model-studio/…,
// copies in modelstudioai/skills skills/bailian-docs-llm-wiki/raw/model-api-reference/
// video-generation-api/, 2026-05-28; the 1.1 models from the newer copy 0e93feb of the t2v page
// under happyhorse-api-reference/, which lists happyhorse-1.1-t2v beside 1.0 on the same endpoints).
import type { Variant } from '../../types.js';
import type { FileLimits, MediaRule, ModelEntry, ParamRule, Sizing, UrlRule } from '../model-entry.js';
import { MB, SEED } from './common.js';
import { VIDEO_SYNTHESIS_PATH } from './paths.js';

const PAGE = 'https://help.aliyun.com/zh/model-studio/';
const PAGES = {
  t2v: `${PAGE}happyhorse-text-to-video-api-reference`,
  i2v: `${PAGE}happyhorse-image-to-video-api-reference`,
  r2v: `${PAGE}happyhorse-reference-to-video-api-reference`,
  edit: `${PAGE}happyhorse-video-edit-api-reference`,
} as const;
const RATE_LIMIT = `${PAGE}rate-limit (HappyHorse)`;
const PRICING = `${PAGE}model-pricing (HappyHorse)`;

// "公网URL" (HTTP/HTTPS) or "Base64 编码" for images; the video "必须为公网可访问的URL". Neither page
// names oss:// (what a local file becomes): accepted with a warning, as for PixVerse.
const IMAGE_URLS: UrlRule = {
  schemes: ['http', 'https', 'oss', 'data'],
  source: `${PAGES.i2v} (media.url)`,
  undocumented: { schemes: ['oss'], note: 'the HappyHorse pages document public HTTP(S) URLs and base64 images only' },
};
const VIDEO_URLS: UrlRule = {
  schemes: ['http', 'https', 'oss'],
  source: `${PAGES.edit} (media.url, type video)`,
  undocumented: { schemes: ['oss'], note: 'the HappyHorse video-edit page asks for a public URL' },
};
const FORMATS = ['jpg', 'jpeg', 'png', 'webp'];
/** i2v first frame and edit reference images: "宽和高不小于300像素; 1:2.5～2.5:1; ≤ 20MB". */
const IMAGE: FileLimits = { formats: FORMATS, maxBytes: 20 * MB, minSide: 300, ratio: { min: 0.4, max: 2.5 } };
/** r2v: "短边不低于400像素; ≤ 20MB". */
const REFERENCE: FileLimits = { formats: FORMATS, maxBytes: 20 * MB, minShortSide: 400 };
/** The video to edit: "MP4、MOV; 3~60秒; 长边 ≤ 4096, 短边 ≥ 360; 1:2.5~2.5:1; ≤ 100MB". */
const VIDEO: FileLimits = { formats: ['mp4', 'mov'], maxBytes: 100 * MB, seconds: { min: 3, max: 60 }, maxSide: 4096, minShortSide: 360, ratio: { min: 0.4, max: 2.5 } };

const TIERS = ['720P', '1080P'] as const;
const RATIOS = ['16:9', '9:16', '1:1', '4:3', '3:4', '4:5', '5:4', '9:21', '21:9'] as const;
const WITH_RATIO: Sizing = { kind: 'resolution-ratio', tiers: TIERS, serverDefault: '1080P', ratioField: 'ratio', ratios: RATIOS, ratioDefault: '16:9' };
// "输出的视频宽高比与输入首帧近似一致": resolution only.
const FOLLOWS_INPUT: Sizing = { kind: 'resolution', tiers: TIERS, serverDefault: '1080P' };

/** "true：默认值，添加水印" — a mark on every video unless turned off; pinned either way. */
const WATERMARK_ON: ParamRule = { name: 'watermark', type: 'boolean', serverDefault: true, doc: 'HappyHorse: the "Happy Horse" mark at the bottom right. Default TRUE: write watermark: false for a clean video.' };
const AUDIO_SETTING: ParamRule = { name: 'audio_setting', type: 'enum', values: ['auto', 'origin'], serverDefault: 'auto', doc: 'Wan 2.7 / HappyHorse video edit: auto (the model decides from the prompt) or origin (keep the input sound). Default auto.' };

const image = (type: string, role: 'first-frame' | 'reference-image', min: number, max: number, limits: FileLimits) => ({ type, kind: 'image' as const, role, min, max, urls: IMAGE_URLS, limits });

const MEDIA: Record<'t2v' | 'i2v' | 'r2v' | 'videoedit', MediaRule> = {
  t2v: { shape: 'none', slots: [] },
  // "有且仅有1张首帧图像".
  i2v: { shape: 'list', slots: [image('first_frame', 'first-frame', 1, 1, IMAGE)] },
  // "参考图像数量：1～9张"; "[Image 1]、[Image 2] … 顺序与media数组顺序一致".
  r2v: {
    shape: 'list',
    slots: [image('reference_image', 'reference-image', 1, 9, REFERENCE)],
    promptRefs: { style: 'positional', tokens: [{ pattern: '\\[Image (\\d+)\\]', display: '[Image N]', counts: ['reference_image'] }] },
  },
  // "数组必须包含1个 video 类型元素；可选包含0~5个 reference_image".
  videoedit: { shape: 'list', slots: [{ type: 'video', kind: 'video', role: 'source-video', min: 1, max: 1, urls: VIDEO_URLS, limits: VIDEO }, image('reference_image', 'reference-image', 0, 5, IMAGE)] },
};

type Kind = keyof typeof MEDIA;
const SUFFIX: Record<Kind, string> = { t2v: 't2v', i2v: 'i2v', r2v: 'r2v', videoedit: 'video-edit' };
const SOURCE: Record<Kind, string> = { t2v: PAGES.t2v, i2v: PAGES.i2v, r2v: PAGES.r2v, videoedit: PAGES.edit };

function entry(version: '1.0' | '1.1', kind: Kind): ModelEntry {
  const name = `happyhorse-${version}-${SUFFIX[kind]}`;
  const edit = kind === 'videoedit';
  return {
    name,
    vendor: 'happyhorse',
    family: `happyhorse-${version}`,
    variant: kind as Variant,
    sources: [SOURCE[kind], RATE_LIMIT, PRICING],
    endpoint: VIDEO_SYNTHESIS_PATH,
    // Beijing, Singapore, Virginia (dashscope-us) and Frankfurt (workspace host) on every page;
    // the rate-limit page has 1.0 in the 中国内地, 全球 and 国际 scopes.
    regions: ['cn-beijing', 'ap-southeast-1', 'us-east-1', 'eu-central-1'],
    sizing: kind === 't2v' || kind === 'r2v' ? WITH_RATIO : FOLLOWS_INPUT,
    // "[3, 15]", default 5; the edit takes none: "输出视频时长与输入视频保持一致", at most its first 15 s.
    duration: edit ? { none: true } : { min: 3, max: 15, serverDefault: 5 },
    // "不超过5000个非中文字符或2500个中文字符，超过部分将自动截断".
    prompt: { required: kind !== 'i2v', maxChars: 5000, maxCjkChars: 2500, overLength: 'truncated' },
    media: MEDIA[kind],
    params: [...(edit ? [AUDIO_SETTING] : []), WATERMARK_ON, SEED],
    audio: edit ? 'input' : 'always',
    quota: { family: name, runningTasks: 5, submitsPerSecond: 5, source: version === '1.0' ? RATE_LIMIT : `assumed as for happyhorse-1.0 (${RATE_LIMIT} has no 1.1 row)` },
    ...(version === '1.0' ? { price: { currency: 'CNY', region: 'cn-beijing', perSecond: { '720P': 0.9, '1080P': 1.6 }, source: PRICING } as const } : {}),
    // The edit: "输入视频和输出视频均计费"; the input counts up to the 15 s that are used.
    billing: edit ? { seconds: 'input+output', maxInputSeconds: 15, inputTypes: ['video'] } : { seconds: 'output' },
    result: { srAsString: false, urlTtlHours: 24 },
    undocumented: [
      'oss:// inputs (local files) are not named on the HappyHorse pages; accepted with a warning',
      'whether the output has sound: no page says; recorded as with sound (the edit: as its input)',
      ...(version === '1.1'
        ? ['1.1 quota and price: not in the rate-limit or pricing copies; pool assumed 5/5, no estimate unless prices are configured', '1.1 tiers: the copy cited lists 720P and 1080P (a later copy adds 480P; refused here until confirmed)']
        : []),
    ],
    unsupportedHints: { negative_prompt: 'HappyHorse has no negative_prompt: say what to avoid in the prompt' },
  };
}

export const HAPPYHORSE_MODELS: readonly ModelEntry[] = [
  ...(['t2v', 'i2v', 'r2v', 'videoedit'] as const).map((k) => entry('1.0', k)),
  ...(['t2v', 'i2v', 'r2v'] as const).map((k) => entry('1.1', k)),
];
