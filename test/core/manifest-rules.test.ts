// Each catalog-driven rule with a failing and a passing case (table-driven).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { LocalFileInfo } from '../../src/core/manifest/manifest-types.js';
import type { Issue, Region } from '../../src/core/types.js';
import { checkManifest, errors, fileInfo, oneShot, show } from '../helpers/manifest-test-kit.js';

const HTTPS = 'https://example.com/a.png';
const T2V_V6 = { model: 'pixverse/pixverse-v6-t2v', prompt: 'a boat', size: '1280*720', duration: 5 };
const T2V_V56 = { model: 'pixverse/pixverse-v5.6-t2v', prompt: 'a boat', size: '1280*720', duration: 5 };
const R2V_V56 = { model: 'pixverse/pixverse-v5.6-r2v', prompt: 'a boat', size: '1280*720', duration: 5, media: [{ type: 'image_url', url: HTTPS }] };
const IT2V_C1 = { model: 'pixverse/pixverse-c1-it2v', media: [{ type: 'image_url', url: HTTPS }], resolution: '720P', duration: 5 };
const KF2V_V6 = {
  model: 'pixverse/pixverse-v6-kf2v',
  prompt: 'day to night',
  resolution: '720P',
  duration: 5,
  media: [
    { type: 'first_frame', url: HTTPS },
    { type: 'last_frame', url: HTTPS },
  ],
};
const R2V_C1 = {
  model: 'pixverse/pixverse-c1-r2v',
  prompt: '@man sits by the window holding @guitar , smiling.',
  size: '1280*720',
  duration: 5,
  media: [
    { type: 'image_url', url: HTTPS, ref_name: 'man' },
    { type: 'image_url', url: HTTPS, ref_name: 'guitar' },
  ],
};
const WAN = { model: 'wan2.6-i2v-flash', reference_image: HTTPS };

interface Case {
  name: string;
  shot: Record<string, unknown>;
  region?: Region;
  files?: Record<string, Partial<LocalFileInfo>>;
  /** Expected issue code (and severity); omitted → no error and no warning. */
  expect?: { code: string; severity?: 'error' | 'warning'; pointer?: string; hint?: RegExp; message?: RegExp; shot?: string };
  /** Other warnings the case produces on purpose (a PixVerse shot with a local file). */
  alsoWarns?: string[];
}

// A PixVerse shot with a local file or an oss:// URL always gets this warning (its docs only
// mention public URLs); the cases below that are about something else allow it.
const PIX_LOCAL = ['media-source-undocumented'];

const CASES: Case[] = [
  // Model names: exact only, with a suggestion on a near miss.
  { name: 'exact model name', shot: T2V_V6 },
  { name: 'model typo', shot: { ...T2V_V6, model: 'pixverse/pixverse-v6-t2vv' }, expect: { code: 'model-unknown', pointer: '/shots/0/model', hint: /'pixverse\/pixverse-v6-t2v'/ } },
  { name: 'model case differs', shot: { ...T2V_V6, model: 'PixVerse/pixverse-v6-t2v' }, expect: { code: 'model-unknown', hint: /did you mean 'pixverse\/pixverse-v6-t2v'/ } },
  { name: 'invented alias is refused', shot: { ...WAN, model: 'wan2.6-i2v-flash-20250101' }, expect: { code: 'model-unknown' } },
  { name: 'model missing', shot: { prompt: 'x', size: '1280*720', duration: 5 }, expect: { code: 'model-missing', pointer: '/shots/0' } },

  // size tables (t2v/r2v), per model.
  { name: 'v5.6-t2v 1280*960 is in its table', shot: { ...T2V_V56, size: '1280*960' } },
  { name: 'v6-t2v has no 1280*960', shot: { ...T2V_V6, size: '1280*960' }, expect: { code: 'size-not-in-table', hint: /nearest allowed sizes: 1108\*832 \(720P\) or 1664\*1248 \(1080P\)/ } },
  { name: 'v5.6-r2v 1108*830 is in its table', shot: { ...R2V_V56, size: '1108*830' } },
  { name: 'v5.6-t2v has no 1108*830 (r2v table)', shot: { ...T2V_V56, size: '1108*830' }, expect: { code: 'size-not-in-table', hint: /nearest allowed sizes: 1024\*768 \(540P\) or 1280\*960 \(720P\)/ } },
  { name: 'v5.6-r2v has no 1280*960 (t2v table)', shot: { ...R2V_V56, size: '1280*960' }, expect: { code: 'size-not-in-table', message: /pixverse-v5\.6-r2v/, hint: /nearest allowed sizes: 1108\*830 \(720P\) or 1662\*1246 \(1080P\); 720P sizes: 1280\*720, 1108\*830, 960\*960, 830\*1108, 720\*1280/ } },
  { name: 'v5.6-r2v 1662*1246 is in its table', shot: { ...R2V_V56, size: '1662*1246' } },
  { name: 'v5.6-r2v has no 1920*1440 (t2v 1080P)', shot: { ...R2V_V56, size: '1920*1440' }, expect: { code: 'size-not-in-table', hint: /1662\*1246/ } },
  { name: 'v5.6-t2v 1808*1808 is in its table', shot: { ...T2V_V56, size: '1808*1808' } },
  { name: 'c1-r2v takes the eight-ratio table', shot: { ...R2V_C1, size: '1108*832' } },
  { name: 'c1-r2v has no 1108*830', shot: { ...R2V_C1, size: '1108*830' }, expect: { code: 'size-not-in-table', hint: /1108\*832/ } },
  { name: 'v6 has 21:9', shot: { ...T2V_V6, size: '1920*832' } },
  { name: 'v5.6 has no 21:9', shot: { ...T2V_V56, size: '1920*832' }, expect: { code: 'size-not-in-table' } },
  { name: 'size written with x', shot: { ...T2V_V6, size: '1280x720' }, expect: { code: 'size-format', hint: /size: 1280\*720/ } },
  { name: 'size missing on t2v', shot: { ...T2V_V6, size: undefined }, expect: { code: 'size-missing' } },
  { name: 'resolution on a size model', shot: { ...T2V_V6, size: undefined, resolution: '720P' }, expect: { code: 'resolution-not-accepted', hint: /size: 1280\*720/ } },
  { name: 'size on it2v', shot: { ...IT2V_C1, resolution: undefined, size: '1280*720' }, expect: { code: 'size-not-accepted', hint: /resolution: 720P/ } },
  { name: 'size on Wan', shot: { ...WAN, size: '1920*1080' }, expect: { code: 'size-not-accepted', hint: /resolution: 1080P \(allowed: 720P\|1080P\)/ } },
  { name: 'resolution written 720p', shot: { ...IT2V_C1, resolution: '720p' }, expect: { code: 'resolution-format', hint: /720P/ } },
  { name: 'resolution missing on it2v', shot: { ...IT2V_C1, resolution: undefined }, expect: { code: 'resolution-missing' } },
  // Disputed by the official pages: a warning naming both, the request sent as written.
  { name: 'v5.6-it2v at 1080P is disputed: a warning naming both pages', shot: { ...IT2V_C1, model: 'pixverse/pixverse-v5.6-it2v', resolution: '1080P' }, expect: { code: 'disputed-rule', severity: 'warning', pointer: '/shots/0/resolution', message: /resolution 1080P on pixverse\/pixverse-v5\.6-it2v is disputed by the official pages: help\.aliyun\.com pixverse-image-to-video-api-reference lists 360P–1080P .*; platform\.qianwenai\.com pixverse-image-to-video-first-frame\/create-task stops at 720P/, hint: /resolution: 720P/ } },
  { name: 'v5.6-it2v at 1080P keeps the 1080P durations (5 or 8)', shot: { ...IT2V_C1, model: 'pixverse/pixverse-v5.6-it2v', resolution: '1080P', duration: 10 }, expect: { code: 'duration-not-allowed', message: /at 1080P \(allowed: 5, 8\)/ }, alsoWarns: ['disputed-rule'] },
  { name: 'v5.6-it2v 1440P is not a tier at all', shot: { ...IT2V_C1, model: 'pixverse/pixverse-v5.6-it2v', resolution: '2K' }, expect: { code: 'resolution-not-allowed' } },
  { name: 'v5.6-it2v at 720P', shot: { ...IT2V_C1, model: 'pixverse/pixverse-v5.6-it2v', resolution: '720P', duration: 10 } },
  { name: 'v5.6-kf2v at 1080P (undisputed)', shot: { ...KF2V_V6, model: 'pixverse/pixverse-v5.6-kf2v', resolution: '1080P', duration: 5 } },
  { name: 'Wan has no 540P', shot: { ...WAN, resolution: '540P' }, expect: { code: 'resolution-not-allowed' } },
  { name: 'Wan resolution defaults', shot: WAN },

  // Durations per family.
  { name: 'v5.6 10 s at 720P', shot: { ...T2V_V56, duration: 10 } },
  { name: 'v5.6 10 s at 1080P', shot: { ...T2V_V56, size: '1920*1080', duration: 10 }, expect: { code: 'duration-not-allowed', message: /at 1080P \(allowed: 5, 8\)/, hint: /use duration 5 or 8, or a lower size/ } },
  { name: 'v5.6 8 s at 1080P', shot: { ...T2V_V56, size: '1920*1080', duration: 8 } },
  { name: 'v5.6 5 s at 1080P', shot: { ...T2V_V56, size: '1920*1080', duration: 5 } },
  { name: 'v5.6 6 s', shot: { ...T2V_V56, duration: 6 }, expect: { code: 'duration-not-allowed', message: /allowed: 5, 8, 10/ } },
  { name: 'v5.6-kf2v 10 s at 1080P', shot: { ...KF2V_V6, model: 'pixverse/pixverse-v5.6-kf2v', resolution: '1080P', duration: 10 }, expect: { code: 'duration-not-allowed', hint: /lower resolution/ } },
  { name: 'c1 15 s', shot: { ...IT2V_C1, duration: 15 } },
  { name: 'c1 16 s', shot: { ...IT2V_C1, duration: 16 }, expect: { code: 'duration-not-allowed', message: /1–15/ } },
  { name: 'c1 0 s', shot: { ...IT2V_C1, duration: 0 }, expect: { code: 'duration-not-allowed', message: /duration 0 is out of range .*1–15/, hint: /from 1 to 15/ } },
  { name: 'c1 2.5 s', shot: { ...IT2V_C1, duration: 2.5 }, expect: { code: 'wrong-type', pointer: '/shots/0/duration', message: /integer/ } },
  { name: 'c1 1 s', shot: { ...IT2V_C1, duration: 1 } },
  { name: 'v6 15 s', shot: { ...T2V_V6, duration: 15 } },
  { name: 'v6 16 s', shot: { ...T2V_V6, duration: 16 }, expect: { code: 'duration-not-allowed', message: /1–15/ } },
  { name: 'v6 0 s', shot: { ...T2V_V6, duration: 0 }, expect: { code: 'duration-not-allowed' } },
  { name: 'v6 1 s', shot: { ...T2V_V6, duration: 1 } },
  { name: 'Wan 1 s', shot: { ...WAN, duration: 1 }, expect: { code: 'duration-not-allowed', message: /2–15/ } },
  { name: 'Wan 15 s', shot: { ...WAN, duration: 15 } },
  { name: 'Wan 2 s', shot: { ...WAN, duration: 2 } },
  { name: 'Wan 16 s', shot: { ...WAN, duration: 16 }, expect: { code: 'duration-not-allowed', message: /2–15/ } },
  { name: 'Wan duration omitted (server default 5)', shot: { ...WAN } },
  { name: 'duration missing on PixVerse', shot: { ...T2V_V6, duration: undefined }, expect: { code: 'duration-missing' } },
  { name: 'duration as "5s"', shot: { ...T2V_V6, duration: '5s' }, expect: { code: 'wrong-type', hint: /duration: 5/ } },

  // Media per variant.
  { name: 'kf2v first+last', shot: KF2V_V6 },
  { name: 'kf2v without last_frame', shot: { ...KF2V_V6, media: [{ type: 'first_frame', url: HTTPS }] }, expect: { code: 'media-count', message: /exactly one last_frame/ } },
  { name: 'kf2v two first_frames', shot: { ...KF2V_V6, media: [{ type: 'first_frame', url: HTTPS }, { type: 'first_frame', url: HTTPS }, { type: 'last_frame', url: HTTPS }] }, expect: { code: 'media-count', message: /exactly one first_frame, got 2/, hint: /keep one first_frame/ } },
  { name: 'kf2v frames in either order', shot: { ...KF2V_V6, media: [{ type: 'last_frame', url: HTTPS }, { type: 'first_frame', url: HTTPS }] } },
  { name: 'kf2v with image_url', shot: { ...KF2V_V6, media: [{ type: 'image_url', url: HTTPS }, { type: 'last_frame', url: HTTPS }] }, expect: { code: 'media-type-not-allowed', pointer: '/shots/0/media/0/type' } },
  { name: 'it2v with no prompt', shot: IT2V_C1 },
  { name: 'it2v with two images is disputed: a warning naming both pages', shot: { ...IT2V_C1, media: [{ type: 'image_url', url: HTTPS }, { type: 'image_url', url: HTTPS }] }, expect: { code: 'disputed-rule', severity: 'warning', pointer: '/shots/0/media', message: /^2 images: more than one image on a PixVerse it2v model is disputed by the official pages: help\.aliyun\.com .* uses the last one .*; platform\.qianwenai\.com .* at most one media item/, hint: /keep only the image/ } },
  { name: 'it2v without image', shot: { ...IT2V_C1, media: undefined }, expect: { code: 'media-count' } },
  { name: 'it2v with first_frame type', shot: { ...IT2V_C1, media: [{ type: 'first_frame', url: HTTPS }] }, expect: { code: 'media-type-not-allowed', pointer: '/shots/0/media/0/type', message: /type image_url, not first_frame/, hint: /write type: image_url \(first_frame is the kf2v type; for a first and a last frame use pixverse\/pixverse-c1-kf2v\)/ } },
  { name: 'it2v with last_frame type', shot: { ...IT2V_C1, media: [{ type: 'last_frame', url: HTTPS }] }, expect: { code: 'media-type-not-allowed', hint: /pixverse-c1-kf2v/ } },
  { name: 't2v with media', shot: { ...T2V_V6, media: [{ type: 'image_url', url: HTTPS }] }, expect: { code: 'media-not-accepted', hint: /pixverse-v6-it2v/ } },
  { name: 'media item without url', shot: { ...IT2V_C1, media: [{ type: 'image_url' }] }, expect: { code: 'missing-key', pointer: '/shots/0/media/0', message: /missing required key 'url'/, hint: /add url: an https URL/ } },
  { name: 'ref_name on it2v', shot: { ...IT2V_C1, media: [{ type: 'image_url', url: HTTPS, ref_name: 'x' }] }, expect: { code: 'field-not-supported', pointer: '/shots/0/media/0/ref_name' } },

  // r2v references.
  { name: 'r2v bound refs', shot: R2V_C1 },
  { name: 'r2v without ref names', shot: { ...R2V_C1, prompt: 'two friends', media: [{ type: 'image_url', url: HTTPS }] } },
  { name: 'r2v no images', shot: { ...R2V_C1, prompt: 'x', media: [] }, expect: { code: 'media-count', message: /got 0/ } },
  { name: 'r2v 8 images', shot: { ...R2V_C1, prompt: 'x', media: Array.from({ length: 8 }, () => ({ type: 'image_url', url: HTTPS })) }, expect: { code: 'media-count', message: /1–7 reference images, got 8/, hint: /at most 7/ } },
  { name: 'r2v 7 images', shot: { ...R2V_C1, prompt: 'x', media: Array.from({ length: 7 }, () => ({ type: 'image_url', url: HTTPS })) } },
  { name: 'r2v 1 image', shot: { ...R2V_C1, prompt: 'x', media: [{ type: 'image_url', url: HTTPS }] } },
  { name: 'r2v duplicate ref_name', shot: { ...R2V_C1, prompt: '@man waves', media: [{ type: 'image_url', url: HTTPS, ref_name: 'man' }, { type: 'image_url', url: HTTPS, ref_name: 'man' }] }, expect: { code: 'ref-name-duplicate', pointer: '/shots/0/media/1/ref_name' } },
  { name: 'r2v @name at the end', shot: { ...R2V_C1, prompt: '@man plays @guitar' }, expect: { code: 'ref-needs-space', message: /end of the prompt/ } },
  { name: 'r2v @name followed by a newline', shot: { ...R2V_C1, prompt: '@man plays @guitar\nloudly' }, expect: { code: 'ref-needs-space', message: /followed by "\\n"/ } },
  { name: 'r2v @name followed by a space', shot: { ...R2V_C1, prompt: 'On stage @man plays @guitar loudly' } },
  { name: 'r2v @name before punctuation', shot: { ...R2V_C1, prompt: '@man plays @guitar, loudly' }, expect: { code: 'ref-needs-space', hint: /'@guitar '/ } },
  { name: 'r2v @name unknown', shot: { ...R2V_C1, prompt: '@man plays @guiter and @guitar ' }, expect: { code: 'ref-unknown', hint: /'@guitar '/ } },
  { name: 'r2v ref_name unused', shot: { ...R2V_C1, prompt: '@man sings ' }, expect: { code: 'ref-unused', pointer: '/shots/0/media/1/ref_name' } },
  { name: 'r2v CJK names', shot: { ...R2V_C1, prompt: '@男人 坐在靠窗的椅子上，手持@吉他 ，轻轻弹奏。', media: [{ type: 'image_url', url: HTTPS, ref_name: '男人' }, { type: 'image_url', url: HTTPS, ref_name: '吉他' }] } },
  { name: 'r2v video media type', shot: { ...R2V_C1, media: [{ type: 'video_url', url: HTTPS }] }, expect: { code: 'media-type-not-allowed' } },

  // Prompt.
  { name: 'prompt missing on t2v', shot: { ...T2V_V6, prompt: undefined }, expect: { code: 'prompt-missing' } },
  { name: 'v5.6 prompt at its limit', shot: { ...T2V_V56, prompt: 'a'.repeat(2048) } },
  { name: 'v5.6 prompt over its limit', shot: { ...T2V_V56, prompt: 'a'.repeat(2049) }, expect: { code: 'prompt-truncated', severity: 'warning' } },
  { name: 'c1 prompt over 5000', shot: { ...IT2V_C1, prompt: '字'.repeat(5001) }, expect: { code: 'prompt-truncated', severity: 'warning' } },
  { name: 'c1 prompt of 5000 astral characters', shot: { ...IT2V_C1, prompt: '🎬'.repeat(5000) } },
  { name: 'Wan prompt over 1500', shot: { ...WAN, prompt: 'a'.repeat(1501) }, expect: { code: 'prompt-truncated', severity: 'warning', message: /1501 characters; wan2\.6-i2v-flash reads at most 1500/ } },
  { name: 'Wan prompt at 1500', shot: { ...WAN, prompt: 'a'.repeat(1500) } },
  { name: 'v6 prompt at 5000', shot: { ...T2V_V6, prompt: 'a'.repeat(5000) } },
  { name: 'v6 prompt over 5000', shot: { ...T2V_V6, prompt: 'a'.repeat(5001) }, expect: { code: 'prompt-truncated', severity: 'warning', pointer: '/shots/0/prompt', hint: /5000 characters/ } },
  { name: 'c1 prompt at 5000', shot: { ...IT2V_C1, prompt: 'a'.repeat(5000) } },

  // Parameters per model.
  { name: 'negative_prompt on Wan', shot: { ...WAN, negative_prompt: 'blur' } },
  { name: 'negative_prompt on PixVerse', shot: { ...T2V_V6, negative_prompt: 'blur' }, expect: { code: 'field-not-supported' } },
  { name: 'negative_prompt over 500 on Wan', shot: { ...WAN, negative_prompt: 'n'.repeat(501) }, expect: { code: 'negative-prompt-too-long', severity: 'warning' } },
  { name: 'negative_prompt of 500 on Wan', shot: { ...WAN, negative_prompt: 'n'.repeat(500) } },
  { name: 'negative_prompt on PixVerse r2v', shot: { ...R2V_C1, negative_prompt: 'blur' }, expect: { code: 'field-not-supported', pointer: '/shots/0/negative_prompt', message: /does not take negative_prompt/ } },
  { name: 'shot_type on v6-t2v', shot: { ...T2V_V6, shot_type: 'multi' } },
  { name: 'shot_type on v6-kf2v', shot: { ...KF2V_V6, shot_type: 'multi' }, expect: { code: 'field-not-supported' } },
  { name: 'shot_type on c1', shot: { ...IT2V_C1, shot_type: 'multi' }, expect: { code: 'field-not-supported', hint: /c1 does multi-shot through the prompt/ } },
  { name: 'shot_type invalid value', shot: { ...T2V_V6, shot_type: 'double' }, expect: { code: 'shot-type-invalid' } },
  { name: 'Wan multi with prompt_extend', shot: { ...WAN, shot_type: 'multi' } },
  { name: 'Wan multi without prompt_extend', shot: { ...WAN, shot_type: 'multi', prompt_extend: false }, expect: { code: 'shot-type-ineffective', severity: 'warning' } },
  { name: 'prompt_extend on PixVerse', shot: { ...T2V_V6, prompt_extend: true }, expect: { code: 'field-not-supported' } },
  { name: 'audio and watermark on kf2v', shot: { ...KF2V_V6, audio: true, watermark: true } },

  // Seed.
  { name: 'seed at max', shot: { ...T2V_V6, seed: 2147483647 } },
  { name: 'seed 0', shot: { ...WAN, seed: 0 } },
  { name: 'seed above max on Wan', shot: { ...WAN, seed: 2147483648 }, expect: { code: 'seed-out-of-range', message: /0–2147483647/ } },
  { name: 'seed above max', shot: { ...T2V_V6, seed: 2147483648 }, expect: { code: 'seed-out-of-range' } },
  { name: 'seed negative', shot: { ...T2V_V6, seed: -1 }, expect: { code: 'seed-out-of-range' } },
  { name: 'seed not an integer', shot: { ...T2V_V6, seed: 1.5 }, expect: { code: 'wrong-type' } },
  { name: 'seed as a string', shot: { ...T2V_V6, seed: '7' }, expect: { code: 'wrong-type', hint: /remove the quotes/ } },

  // Region.
  { name: 'PixVerse in Singapore', shot: T2V_V6, region: 'ap-southeast-1', expect: { code: 'region-not-hosted', hint: /cn-beijing/ } },
  { name: 'Wan in Singapore', shot: WAN, region: 'ap-southeast-1' },
  { name: 'Wan in Virginia', shot: WAN, region: 'us-east-1', expect: { code: 'region-not-hosted', message: /wan2\.6-i2v-flash is not available in us-east-1 \(hosted in: cn-beijing, ap-southeast-1\)/ } },
  { name: 'PixVerse in Virginia', shot: KF2V_V6, region: 'us-east-1', expect: { code: 'region-not-hosted', pointer: '/shots/0/model', hint: /region: 'cn-beijing'/ } },
  { name: 'Wan in Beijing', shot: WAN, region: 'cn-beijing' },

  // Unknown keys.
  { name: 'misspelt shot key', shot: { ...T2V_V6, sede: 3 }, expect: { code: 'unknown-key', pointer: '/shots/0/sede', hint: /'seed'/, shot: 's' } },
  { name: 'misspelt media key', shot: { ...R2V_C1, prompt: '@man ', media: [{ type: 'image_url', url: HTTPS, ref: 'man' }] }, expect: { code: 'unknown-key', pointer: '/shots/0/media/0/ref', message: /in a media item/, hint: /'ref_name'/, shot: 's' } },
  { name: 'unknown key far from any field', shot: { ...T2V_V6, camera_motion: 'pan' }, expect: { code: 'unknown-key', hint: /allowed keys: id, model, prompt/, shot: 's' } },

  // Wan image and compatibility fields.
  { name: 'Wan image through media', shot: { model: 'wan2.6-i2v-flash', media: [{ type: 'image_url', url: HTTPS }] } },
  { name: 'Wan without image', shot: { model: 'wan2.6-i2v-flash' }, expect: { code: 'media-count', hint: /reference_image/ } },
  { name: 'Wan with two images', shot: { ...WAN, media: [{ type: 'image_url', url: HTTPS }] }, expect: { code: 'media-count', message: /both reference_image and media/ } },
  { name: 'reference_image on PixVerse', shot: { ...IT2V_C1, reference_image: HTTPS }, expect: { code: 'field-not-supported' } },
  { name: 'Wan fps', shot: { ...WAN, fps: 24 }, expect: { code: 'field-not-sent', severity: 'warning', message: /not sent/ } },
  { name: 'PixVerse fps equal to what it delivers', shot: { ...T2V_V6, fps: 24 } },
  { name: 'PixVerse fps different', shot: { ...T2V_V6, fps: 30 }, expect: { code: 'field-not-sent', severity: 'warning', hint: /24 fps/ } },
  { name: 'motion_strength', shot: { ...WAN, motion_strength: 0.6 }, expect: { code: 'field-not-sent', severity: 'warning' } },

  // Image sources: PixVerse documents public URLs only; a local file or oss:// is a warning.
  { name: 'PixVerse local file', shot: { ...IT2V_C1, media: [{ type: 'image_url', url: 'media/a.png' }] }, expect: { code: 'media-source-undocumented', severity: 'warning', pointer: '/shots/0/media/0/url', message: /local image files are uploaded and sent as temporary oss:\/\/ URLs, but the PixVerse API docs document only public HTTP\(S\) image URLs/, hint: /public https URL/ } },
  { name: 'PixVerse oss url', shot: { ...KF2V_V6, media: [{ type: 'first_frame', url: HTTPS }, { type: 'last_frame', url: 'oss://dashscope-instant/x/b.png' }] }, expect: { code: 'media-source-undocumented', severity: 'warning', pointer: '/shots/0/media/1/url', message: /^oss:\/\/ image URLs are given, but the PixVerse API docs/ } },
  { name: 'PixVerse https url', shot: { ...KF2V_V6 } },
  { name: 'Wan local file (documented: oss:// and data:)', shot: { ...WAN, reference_image: 'media/a.png' } },

  // URLs.
  { name: 'oss url', shot: { ...WAN, reference_image: 'oss://bucket/a.png' } },
  { name: 'http url', shot: { ...WAN, reference_image: 'http://example.com/a.png' }, expect: { code: 'url-not-https', severity: 'warning' } },
  // Schemes per model, as the service checks them (400 InvalidURL): Wan img_url takes data:, PixVerse does not.
  { name: 'data uri on Wan (documented for img_url)', shot: { ...WAN, reference_image: 'data:image/png;base64,iVBORw0KGgo=' } },
  { name: 'data uri on PixVerse', shot: { ...IT2V_C1, media: [{ type: 'image_url', url: 'data:image/png;base64,iVBORw0KGgo=' }] }, expect: { code: 'url-scheme', pointer: '/shots/0/media/0/url', message: /pixverse\/pixverse-c1-it2v does not take data: URIs .*the server answers 400 InvalidURL \(it takes https:\/\/, http:\/\/, oss:\/\/ \(temporary upload\)\)/, hint: /save the data as a file/ } },
  { name: 'data uri that is not base64', shot: { ...WAN, reference_image: 'data:image/png,rawbytes' }, expect: { code: 'url-scheme', message: /malformed data: URI/, hint: /data:<mime type>;base64/ } },
  { name: 'file url', shot: { ...WAN, reference_image: 'file:///tmp/a.png' }, expect: { code: 'url-scheme', message: /400 InvalidURL/, hint: /relative to the manifest.*a\.png/ } },
  { name: 'ftp url', shot: { ...WAN, reference_image: 'ftp://example.com/a.png' }, expect: { code: 'url-scheme', message: /400 InvalidURL/, hint: /https URL/ } },
  { name: 'ftp url in media on PixVerse', shot: { ...KF2V_V6, media: [{ type: 'first_frame', url: 'ftp://example.com/a.png' }, { type: 'last_frame', url: HTTPS }] }, expect: { code: 'url-scheme', pointer: '/shots/0/media/0/url', message: /400 InvalidURL/ } },
  { name: 'https url without a host', shot: { ...IT2V_C1, media: [{ type: 'image_url', url: 'https:///a.png' }] }, expect: { code: 'url-scheme', message: /malformed URL/, hint: /complete URL/ } },
  { name: 'oss url without a key', shot: { ...WAN, reference_image: 'oss://' }, expect: { code: 'url-scheme' } },

  // Local files (facts as the I/O edge reports them).
  { name: 'local PNG', shot: { ...IT2V_C1, media: [{ type: 'image_url', url: 'a.png' }] }, files: { 'a.png': {} } , alsoWarns: PIX_LOCAL },
  { name: 'local file missing', shot: { ...IT2V_C1, media: [{ type: 'image_url', url: 'a.png' }] }, files: { 'a.png': { exists: false, isFile: false } }, expect: { code: 'media-not-found', pointer: '/shots/0/media/0/url' } , alsoWarns: PIX_LOCAL },
  { name: 'GIF content', shot: { ...IT2V_C1, media: [{ type: 'image_url', url: 'a.gif' }] }, files: { 'a.gif': { format: 'gif' } }, expect: { code: 'media-format' } , alsoWarns: PIX_LOCAL },
  { name: 'a .png that is really a GIF', shot: { ...IT2V_C1, media: [{ type: 'image_url', url: 'a.png' }] }, files: { 'a.png': { format: 'gif' } }, expect: { code: 'media-format', pointer: '/shots/0/media/0/url', message: /a\.png is a GIF image; pixverse\/pixverse-c1-it2v accepts JPG, PNG, WEBP/, hint: /convert it/ } , alsoWarns: PIX_LOCAL },
  { name: 'unknown content named .png', shot: { ...IT2V_C1, media: [{ type: 'image_url', url: 'a.png' }] }, files: { 'a.png': { format: undefined } }, expect: { code: 'media-format' } , alsoWarns: PIX_LOCAL },
  { name: 'BMP on PixVerse', shot: { ...IT2V_C1, media: [{ type: 'image_url', url: 'a.bmp' }] }, files: { 'a.bmp': { format: 'bmp' } }, expect: { code: 'media-format' } , alsoWarns: PIX_LOCAL },
  { name: 'BMP on Wan', shot: { ...WAN, reference_image: 'a.bmp' }, files: { 'a.bmp': { format: 'bmp', width: 800, height: 600 } } },
  { name: 'JPEG named .png', shot: { ...IT2V_C1, media: [{ type: 'image_url', url: 'a.png' }] }, files: { 'a.png': { format: 'jpeg' } }, expect: { code: 'media-extension-mismatch', severity: 'warning' } , alsoWarns: PIX_LOCAL },
  { name: 'PixVerse 20 MB', shot: { ...IT2V_C1, media: [{ type: 'image_url', url: 'a.png' }] }, files: { 'a.png': { bytes: 20 * 1024 * 1024 } } , alsoWarns: PIX_LOCAL },
  { name: 'PixVerse over 20 MB', shot: { ...IT2V_C1, media: [{ type: 'image_url', url: 'a.png' }] }, files: { 'a.png': { bytes: 20 * 1024 * 1024 + 1 } }, expect: { code: 'media-too-large' } , alsoWarns: PIX_LOCAL },
  // wan2.6 images: [240, 8000] px and ≤ 20 MB (image-to-video-api-reference, 2026 copy).
  { name: 'Wan 20 MB', shot: { ...WAN, reference_image: 'a.png' }, files: { 'a.png': { bytes: 20 * 1024 * 1024 } } },
  { name: 'Wan over 20 MB', shot: { ...WAN, reference_image: 'a.png' }, files: { 'a.png': { bytes: 20 * 1024 * 1024 + 1 } }, expect: { code: 'media-too-large' } },
  { name: 'PixVerse 10000 px', shot: { ...IT2V_C1, media: [{ type: 'image_url', url: 'a.png' }] }, files: { 'a.png': { width: 10000, height: 300 } } , alsoWarns: PIX_LOCAL },
  { name: 'PixVerse over 10000 px', shot: { ...IT2V_C1, media: [{ type: 'image_url', url: 'a.png' }] }, files: { 'a.png': { width: 10001, height: 300 } }, expect: { code: 'media-dimensions' } , alsoWarns: PIX_LOCAL },
  { name: 'Wan 239 px', shot: { ...WAN, reference_image: 'a.png' }, files: { 'a.png': { width: 640, height: 239 } }, expect: { code: 'media-dimensions', message: /at least 240/ } },
  { name: 'Wan 8001 px', shot: { ...WAN, reference_image: 'a.png' }, files: { 'a.png': { width: 8001, height: 800 } }, expect: { code: 'media-dimensions', message: /at most 8000/ } },
  { name: 'Wan 240–8000 px', shot: { ...WAN, reference_image: 'a.png' }, files: { 'a.png': { width: 8000, height: 240 } } },
  { name: 'Wan PNG with alpha', shot: { ...WAN, reference_image: 'a.png' }, files: { 'a.png': { hasAlpha: true } }, expect: { code: 'media-alpha', severity: 'warning' } },
  { name: 'PixVerse PNG with alpha', shot: { ...IT2V_C1, media: [{ type: 'image_url', url: 'a.png' }] }, files: { 'a.png': { hasAlpha: true } } , alsoWarns: PIX_LOCAL },
];

function issuesOf(c: Case): Issue[] {
  const shot = Object.fromEntries(Object.entries(c.shot).filter(([, v]) => v !== undefined));
  const files = c.files ? new Map(Object.entries(c.files).map(([k, v]) => [k, fileInfo(k, v)])) : undefined;
  const issues = checkManifest(oneShot(shot), { ...(c.region ? { region: c.region } : {}), ...(files ? { localFiles: files } : {}) });
  const allowed = new Set(c.alsoWarns ?? []);
  return issues.filter((i) => !(i.severity === 'warning' && allowed.has(i.code) && i.code !== c.expect?.code));
}

describe('manifest rules', () => {
  for (const c of CASES) {
    it(c.name, () => {
      const issues = issuesOf(c);
      if (!c.expect) {
        assert.deepEqual(issues, [], show(issues));
        return;
      }
      const found = issues.filter((i) => i.code === c.expect!.code);
      assert.equal(found.length >= 1, true, `expected ${c.expect.code}, got:\n${show(issues)}`);
      const issue = found[0]!;
      assert.equal(issue.severity, c.expect.severity ?? 'error', show(issues));
      if (c.expect.pointer) assert.equal(issue.pointer, c.expect.pointer);
      if (c.expect.hint) assert.match(issue.hint ?? '', c.expect.hint);
      if (c.expect.message) assert.match(issue.message, c.expect.message);
      if (c.expect.shot) assert.equal(issue.shot, c.expect.shot);
      if ((c.expect.severity ?? 'error') === 'warning') assert.deepEqual(errors(issues), [], show(issues));
    });
  }

  it('every issue of every failing case names its shot and place and says how to fix it', () => {
    for (const c of CASES.filter((x) => x.expect)) {
      for (const issue of issuesOf(c)) {
        const where = `${c.name}: ${issue.code}`;
        assert.equal(issue.shot, 's', where);
        assert.match(issue.pointer ?? '', /^\/shots\/0(\/|$)/, where);
        assert.ok(issue.message.length > 10, where);
        assert.ok((issue.hint ?? '').length > 5, `${where} has no hint`);
      }
    }
  });
});

describe('PixVerse image sources', () => {
  const local = (url: string) => ({ type: 'image_url', url });
  it('warns once per shot, at the first local or oss:// image, even with several', () => {
    const issues = checkManifest(oneShot({ ...R2V_C1, prompt: 'x', media: [local(HTTPS), local('a.png'), local('oss://k/b.png'), local('c.png')] }));
    const found = issues.filter((i) => i.code === 'media-source-undocumented');
    assert.equal(found.length, 1, show(issues));
    assert.equal(found[0]!.pointer, '/shots/0/media/1/url');
    assert.match(found[0]!.message, /\(and oss:\/\/ URLs are given\)/);
    assert.deepEqual(errors(issues), []);
  });
  it('words the warning the same in every shot, so that it can be grouped', () => {
    const data = {
      name: 'many',
      shots: [
        { id: 'a', ...IT2V_C1, media: [local('x.png')] },
        { id: 'b', ...KF2V_V6, media: [{ type: 'first_frame', url: 'f.png' }, { type: 'last_frame', url: 'l.png' }] },
        { id: 'c', ...R2V_V56, media: [local('y.png')] },
      ],
    };
    const found = checkManifest(data).filter((i) => i.code === 'media-source-undocumented');
    assert.deepEqual(found.map((i) => i.shot), ['a', 'b', 'c']);
    assert.equal(new Set(found.map((i) => `${i.message}|${i.hint}`)).size, 1);
  });
  it('a media list shared through defaults is reported once for all shots', () => {
    const data = { name: 'shared', defaults: { media: [local('x.png')] }, shots: [{ id: 'a', ...IT2V_C1, media: undefined }, { id: 'b', ...IT2V_C1, media: undefined }] };
    const found = checkManifest(JSON.parse(JSON.stringify(data))).filter((i) => i.code === 'media-source-undocumented');
    assert.equal(found.length, 1);
    assert.equal(found[0]!.pointer, '/defaults/media/0/url');
    assert.deepEqual(found[0]!.alsoIn, ['b']);
  });
});

describe('each problem is reported once', () => {
  it('a non-integer seed or duration gets one issue each, from the schema', () => {
    const issues = checkManifest(oneShot({ ...T2V_V6, seed: 1.5, duration: 2.5 }));
    assert.deepEqual(issues.map((i) => [i.code, i.pointer]), [['wrong-type', '/shots/0/duration'], ['wrong-type', '/shots/0/seed']], show(issues));
  });
});

describe('schema issues name their shot', () => {
  it('top-level, defaults and shot keys', () => {
    const issues = checkManifest({ name: 'x', shot: [], defaults: { durration: 5 }, shots: [{ id: 'c', ...T2V_V6, sede: 1 }, { ...T2V_V6, model: 5 }] });
    const byPointer = Object.fromEntries(issues.map((i) => [i.pointer, i]));
    assert.equal(byPointer['/shot']?.shot, undefined);
    assert.match(byPointer['/shot']?.message ?? '', /unknown key 'shot' at the top level/);
    assert.match(byPointer['/shot']?.hint ?? '', /did you mean 'shots'\?/);
    assert.equal(byPointer['/defaults/durration']?.shot, undefined);
    assert.match(byPointer['/defaults/durration']?.hint ?? '', /'duration'/);
    assert.equal(byPointer['/shots/0/sede']?.shot, 'c');
    assert.equal(byPointer['/shots/1']?.shot, 'shots[1]', show(issues));
    assert.match(byPointer['/shots/1']?.message ?? '', /missing required key 'id'/);
    assert.equal(byPointer['/shots/1/model']?.shot, 'shots[1]');
  });
});
