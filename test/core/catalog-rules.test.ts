// The rules of the 2026 catalog entries (Wan 2.2–2.7 first; HappyHorse, Kling, Vidu, MiniMax,
// Wan 3.0 and the new PixVerse models as they land), each with a failing and a passing case,
// through the manifest validator: every issue placed, with a hint.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { LocalFileInfo } from '../../src/core/manifest/manifest-types.js';
import { planShot } from '../../src/core/plan/plan-shots.js';
import type { Issue, Region, Shot } from '../../src/core/types.js';
import { checkManifest, errors, fileInfo, oneShot, show } from '../helpers/manifest-test-kit.js';

const IMG = 'https://example.com/a.png';
const VID = 'https://example.com/a.mp4';
const MP3 = 'https://example.com/a.mp3';

export interface RuleCase {
  name: string;
  shot: Record<string, unknown>;
  region?: Region;
  files?: Record<string, Partial<LocalFileInfo>>;
  host?: 'dashscope' | 'workspace' | 'custom';
  /** Expected issue (error unless said); omitted → no error and no warning. */
  expect?: { code: string; severity?: 'error' | 'warning'; pointer?: string; hint?: RegExp; message?: RegExp };
}

const T2V26 = { model: 'wan2.6-t2v', prompt: 'a fox' };
const I2V26 = { model: 'wan2.6-i2v', img_url: IMG };
const R2V26 = { model: 'wan2.6-r2v', prompt: 'character1 waves at character2', reference_urls: [IMG, VID] };
const T2V27 = { model: 'wan2.7-t2v', prompt: 'a fox' };
const I2V27 = { model: 'wan2.7-i2v', media: [{ type: 'first_frame', url: IMG }] };
const R2V27 = { model: 'wan2.7-r2v', prompt: '图1 plays with 视频1', media: [{ type: 'reference_image', url: IMG }, { type: 'reference_video', url: VID }] };
const EDIT27 = { model: 'wan2.7-videoedit', prompt: 'a red hat', media: [{ type: 'video', url: VID }] };
const KF2V22 = { model: 'wan2.2-kf2v-flash', first_frame_url: IMG, last_frame_url: IMG };

export const WAN_CASES: RuleCase[] = [
  // wan2.6 / 2.5 t2v: size tables, durations, sound always on.
  { name: 'wan2.6-t2v with its defaults', shot: T2V26 },
  { name: 'wan2.6-t2v 4:3 is 1088*832, not 1104*832', shot: { ...T2V26, size: '1104*832' }, expect: { code: 'size-not-in-table', hint: /1088\*832/ } },
  { name: 'wan2.6-t2v has no 480P', shot: { ...T2V26, size: '832*480' }, expect: { code: 'size-not-in-table' } },
  { name: 'wan2.5-t2v-preview has 480P', shot: { model: 'wan2.5-t2v-preview', prompt: 'x', size: '832*480' } },
  { name: 'wan2.6-t2v duration 16 is too long', shot: { ...T2V26, duration: 16 }, expect: { code: 'duration-not-allowed', pointer: '/shots/0/duration', hint: /2 to 15/ } },
  { name: 'wan2.5-t2v-preview takes 5 or 10 only', shot: { model: 'wan2.5-t2v-preview', prompt: 'x', duration: 7 }, expect: { code: 'duration-not-allowed', hint: /5 or 10/ } },
  { name: 'wan2.6-t2v has no audio parameter', shot: { ...T2V26, audio: false }, expect: { code: 'field-not-supported', pointer: '/shots/0/audio', hint: /always generates sound/ } },
  { name: 'wan2.6-t2v needs a prompt', shot: { model: 'wan2.6-t2v' }, expect: { code: 'prompt-missing' } },
  { name: 'wan2.6-t2v cuts prompts over 1500 characters', shot: { ...T2V26, prompt: 'x'.repeat(1501) }, expect: { code: 'prompt-truncated', severity: 'warning' } },
  { name: 'wan2.6-t2v takes its audio as audio_url', shot: { ...T2V26, audio_url: MP3 } },
  { name: 'wan2.6-t2v shot_type multi without prompt_extend', shot: { ...T2V26, shot_type: 'multi', prompt_extend: false }, expect: { code: 'shot-type-ineffective', severity: 'warning' } },
  // wan2.6 i2v: resolution, img_url.
  { name: 'wan2.6-i2v with its defaults', shot: I2V26 },
  { name: 'wan2.6-i2v has no 480P', shot: { ...I2V26, resolution: '480P' }, expect: { code: 'resolution-not-allowed', hint: /720P\|1080P/ } },
  { name: 'wan2.6-i2v takes resolution, not size', shot: { ...I2V26, size: '1280*720' }, expect: { code: 'size-not-accepted', hint: /resolution: 720P/ } },
  { name: 'wan2.6-i2v needs its image', shot: { model: 'wan2.6-i2v', prompt: 'x' }, expect: { code: 'media-count', hint: /img_url/ } },
  { name: 'wan2.6-i2v silence is the flash model', shot: { ...I2V26, audio: false }, expect: { code: 'field-not-supported', hint: /wan2.6-i2v-flash/ } },
  // wan2.6 r2v: a URL list, characterN.
  { name: 'wan2.6-r2v one image and one video', shot: R2V26 },
  { name: 'wan2.6-r2v at most 5 references', shot: { ...R2V26, reference_urls: [IMG, IMG, IMG, VID, VID, VID] }, expect: { code: 'media-count', pointer: '/shots/0/reference_urls', hint: /at most 5/ } },
  { name: 'wan2.6-r2v at most 3 videos', shot: { ...R2V26, reference_urls: [VID, VID, VID, VID] }, expect: { code: 'media-count', hint: /at most 3/ } },
  { name: 'wan2.6-r2v needs a reference', shot: { ...R2V26, prompt: 'x', reference_urls: [] }, expect: { code: 'media-count' } },
  { name: 'wan2.6-r2v character3 with two references', shot: { ...R2V26, prompt: 'character3 dances' }, expect: { code: 'ref-out-of-range', severity: 'warning', hint: /character1…character2/ } },
  { name: 'wan2.6-r2v refuses base64 references', shot: { ...R2V26, reference_urls: ['data:image/png;base64,AAAA'] }, expect: { code: 'url-scheme' } },
  { name: 'wan2.6-r2v duration 10 at most', shot: { ...R2V26, duration: 11 }, expect: { code: 'duration-not-allowed' } },
  { name: 'wan2.6-r2v has no prompt_extend', shot: { ...R2V26, prompt_extend: true }, expect: { code: 'field-not-supported', hint: /no prompt_extend/ } },
  { name: 'wan2.6-r2v-flash may be silent', shot: { ...R2V26, model: 'wan2.6-r2v-flash', audio: false } },
  { name: 'wan2.6-r2v-flash is not in Virginia', shot: { ...R2V26, model: 'wan2.6-r2v-flash' }, region: 'us-east-1', expect: { code: 'region-not-hosted' } },
  { name: 'wan2.6-r2v is in Virginia', shot: R2V26, region: 'us-east-1' },
  // wan2.7 t2v: resolution + ratio.
  { name: 'wan2.7-t2v with its defaults', shot: T2V27 },
  { name: 'wan2.7-t2v ratio 21:9 is not offered', shot: { ...T2V27, ratio: '21:9' }, expect: { code: 'ratio-not-allowed', pointer: '/shots/0/ratio' } },
  { name: 'wan2.7-t2v takes resolution and ratio, not size', shot: { ...T2V27, size: '1280*720' }, expect: { code: 'size-not-accepted', hint: /resolution: 720P and ratio: '16:9'/ } },
  { name: 'wan2.7-t2v has no shot_type', shot: { ...T2V27, shot_type: 'multi' }, expect: { code: 'field-not-supported', hint: /from the prompt/ } },
  { name: 'wan2.7-t2v reads 5000 characters', shot: { ...T2V27, prompt: 'x'.repeat(5000) } },
  { name: 'wan2.7-t2v is not in Virginia', shot: T2V27, region: 'us-east-1', expect: { code: 'region-not-hosted' } },
  // wan2.7 i2v: only the documented combinations.
  { name: 'wan2.7-i2v first frame', shot: I2V27 },
  { name: 'wan2.7-i2v first clip and last frame', shot: { model: 'wan2.7-i2v', media: [{ type: 'first_clip', url: VID }, { type: 'last_frame', url: IMG }] } },
  { name: 'wan2.7-i2v first frame and first clip do not mix', shot: { model: 'wan2.7-i2v', media: [{ type: 'first_frame', url: IMG }, { type: 'first_clip', url: VID }] }, expect: { code: 'media-combination', hint: /first_clip \+ last_frame/ } },
  { name: 'wan2.7-i2v clip with audio is not a combination', shot: { model: 'wan2.7-i2v', media: [{ type: 'first_clip', url: VID }, { type: 'driving_audio', url: MP3 }] }, expect: { code: 'media-combination' } },
  { name: 'wan2.7-i2v a last frame alone', shot: { model: 'wan2.7-i2v', media: [{ type: 'last_frame', url: IMG }] }, expect: { code: 'media-count' } },
  { name: 'wan2.7-i2v each type once', shot: { model: 'wan2.7-i2v', media: [{ type: 'first_frame', url: IMG }, { type: 'first_frame', url: IMG }] }, expect: { code: 'media-count' } },
  { name: 'wan2.7-i2v a PixVerse type names the Wan one', shot: { model: 'wan2.7-i2v', media: [{ type: 'image_url', url: IMG }] }, expect: { code: 'media-type-not-allowed', hint: /write type: first_frame/ } },
  { name: 'wan2.7-i2v takes no ratio', shot: { ...I2V27, ratio: '16:9' }, expect: { code: 'ratio-not-accepted' } },
  // wan2.7 r2v: 图N / 视频N, duration by media.
  { name: 'wan2.7-r2v image and video', shot: R2V27 },
  { name: 'wan2.7-r2v 15 s without a video', shot: { ...R2V27, prompt: 'Image 1 waves', media: [{ type: 'reference_image', url: IMG }], duration: 15 } },
  { name: 'wan2.7-r2v 10 s at most with a video', shot: { ...R2V27, duration: 15 }, expect: { code: 'duration-not-allowed', message: /with a reference_video/ } },
  { name: 'wan2.7-r2v 图2 with one image', shot: { ...R2V27, prompt: '图2 plays with 视频1' }, expect: { code: 'ref-out-of-range', severity: 'warning' } },
  { name: 'wan2.7-r2v Video 2 with one video', shot: { ...R2V27, prompt: 'Image 1 and Video 2' }, expect: { code: 'ref-out-of-range', severity: 'warning' } },
  { name: 'wan2.7-r2v a first frame is not a reference', shot: { ...R2V27, media: [{ type: 'first_frame', url: IMG }] }, expect: { code: 'media-count' } },
  { name: 'wan2.7-r2v a voice for a reference', shot: { ...R2V27, media: [{ type: 'reference_image', url: IMG, reference_voice: MP3 }, { type: 'reference_video', url: VID }] } },
  { name: 'wan2.7-r2v no voice on a first frame', shot: { ...R2V27, media: [...R2V27.media, { type: 'first_frame', url: IMG, reference_voice: MP3 }] }, expect: { code: 'field-not-supported' } },
  { name: 'wan2.7-r2v at most 5 references', shot: { ...R2V27, media: Array.from({ length: 6 }, () => ({ type: 'reference_image', url: IMG })) }, expect: { code: 'media-count' } },
  // wan2.7 videoedit: one video, duration 0 = the input's length.
  { name: 'wan2.7-videoedit with its defaults', shot: EDIT27 },
  { name: 'wan2.7-videoedit duration 0 keeps the input length', shot: { ...EDIT27, duration: 0 } },
  { name: 'wan2.7-videoedit cuts to 2–10 s', shot: { ...EDIT27, duration: 12 }, expect: { code: 'duration-not-allowed', hint: /0 \(the input video's length\)/ } },
  { name: 'wan2.7-videoedit needs its video', shot: { ...EDIT27, media: [{ type: 'reference_image', url: IMG }] }, expect: { code: 'media-count' } },
  { name: 'wan2.7-videoedit at most 4 reference images', shot: { ...EDIT27, media: [{ type: 'video', url: VID }, ...Array.from({ length: 5 }, () => ({ type: 'reference_image', url: IMG }))] }, expect: { code: 'media-count' } },
  { name: 'wan2.7-videoedit audio_setting auto|origin', shot: { ...EDIT27, audio_setting: 'mute' }, expect: { code: 'audio-setting-invalid', hint: /auto or origin/ } },
  { name: 'wan2.7-videoedit a local video is checked for length', shot: { ...EDIT27, media: [{ type: 'video', url: 'clip.mp4' }] }, files: { 'clip.mp4': { format: 'mp4', seconds: 12, width: 1280, height: 720 } }, expect: { code: 'media-length' } },
  // wan2.2 kf2v: the image2video path, flat fields, 5 s.
  { name: 'wan2.2-kf2v-flash first and last frame', shot: KF2V22 },
  { name: 'wan2.2-kf2v-flash last frame optional', shot: { model: 'wan2.2-kf2v-flash', first_frame_url: IMG } },
  { name: 'wan2.2-kf2v-flash needs its first frame', shot: { model: 'wan2.2-kf2v-flash', last_frame_url: IMG }, expect: { code: 'media-count', hint: /first_frame_url/ } },
  { name: 'wan2.2-kf2v-flash takes flat fields, not media', shot: { model: 'wan2.2-kf2v-flash', media: [{ type: 'first_frame', url: IMG }] }, expect: { code: 'media-not-accepted', hint: /first_frame_url/ } },
  { name: 'wan2.2-kf2v-flash is 5 s', shot: { ...KF2V22, duration: 10 }, expect: { code: 'duration-not-allowed' } },
  { name: 'wan2.2-kf2v-flash is Beijing only', shot: KF2V22, region: 'ap-southeast-1', expect: { code: 'region-not-hosted' } },
  { name: 'wan2.2-kf2v-flash images ≤ 10 MB', shot: { model: 'wan2.2-kf2v-flash', first_frame_url: 'a.png' }, files: { 'a.png': { bytes: 11 * 1024 * 1024 } }, expect: { code: 'media-too-large' } },
  { name: 'wan2.2-i2v-plus has no 720P', shot: { model: 'wan2.2-i2v-plus', img_url: IMG, resolution: '720P' }, expect: { code: 'resolution-not-allowed' } },
  { name: 'wan2.2-t2v-plus is silent', shot: { model: 'wan2.2-t2v-plus', prompt: 'x', audio: true }, expect: { code: 'field-not-supported', hint: /silent/ } },
];

const HH_T2V = { model: 'happyhorse-1.0-t2v', prompt: 'a paper city at night' };
const HH_I2V = { model: 'happyhorse-1.1-i2v', media: [{ type: 'first_frame', url: IMG }] };
const HH_R2V = { model: 'happyhorse-1.0-r2v', prompt: '[Image 1] walks past [Image 2]', media: [{ type: 'reference_image', url: IMG }, { type: 'reference_image', url: IMG }] };
const HH_EDIT = { model: 'happyhorse-1.0-video-edit', prompt: 'make it snow', media: [{ type: 'video', url: VID }] };

export const HAPPYHORSE_CASES: RuleCase[] = [
  { name: 'happyhorse t2v with its defaults', shot: HH_T2V },
  { name: 'happyhorse t2v takes 21:9 and 4:5', shot: { ...HH_T2V, ratio: '4:5' } },
  { name: 'happyhorse t2v ratio 2:1 is not offered', shot: { ...HH_T2V, ratio: '2:1' }, expect: { code: 'ratio-not-allowed', hint: /21:9/ } },
  { name: 'happyhorse durations start at 3 s', shot: { ...HH_T2V, duration: 2 }, expect: { code: 'duration-not-allowed', hint: /3 to 15/ } },
  { name: 'happyhorse has no 480P in the cited copy', shot: { ...HH_T2V, resolution: '480P' }, expect: { code: 'resolution-not-allowed' } },
  { name: 'happyhorse counts Chinese characters double', shot: { ...HH_T2V, prompt: '城'.repeat(2501) }, expect: { code: 'prompt-truncated', severity: 'warning', message: /2500 Chinese/ } },
  { name: 'happyhorse 5000 Latin characters are fine', shot: { ...HH_T2V, prompt: 'x'.repeat(5000) } },
  { name: 'happyhorse has no negative_prompt', shot: { ...HH_T2V, negative_prompt: 'blur' }, expect: { code: 'field-not-supported', hint: /say what to avoid/ } },
  { name: 'happyhorse i2v takes exactly one first frame', shot: { ...HH_I2V, media: [] }, expect: { code: 'media-count' } },
  { name: 'happyhorse i2v a Kling-style ratio is refused', shot: { ...HH_I2V, ratio: '16:9' }, expect: { code: 'ratio-not-accepted' } },
  { name: 'happyhorse i2v a PixVerse image_url names first_frame', shot: { ...HH_I2V, media: [{ type: 'image_url', url: IMG }] }, expect: { code: 'media-type-not-allowed', hint: /write type: first_frame/ } },
  { name: 'happyhorse i2v a local image warns that oss:// is undocumented', shot: { ...HH_I2V, media: [{ type: 'first_frame', url: 'a.png' }] }, files: { 'a.png': {} }, expect: { code: 'media-source-undocumented', severity: 'warning' } },
  { name: 'happyhorse i2v images of at least 300 px', shot: { ...HH_I2V, media: [{ type: 'first_frame', url: 'a.png' }] }, files: { 'a.png': { width: 280, height: 400 } }, expect: { code: 'media-dimensions' } },
  { name: 'happyhorse r2v two references', shot: HH_R2V },
  { name: 'happyhorse r2v [Image 3] with two images', shot: { ...HH_R2V, prompt: '[Image 3] dances' }, expect: { code: 'ref-out-of-range', severity: 'warning', hint: /\[Image 1\]…\[Image 2\]/ } },
  { name: 'happyhorse r2v at most 9 images', shot: { ...HH_R2V, media: Array.from({ length: 10 }, () => ({ type: 'reference_image', url: IMG })) }, expect: { code: 'media-count', hint: /at most 9/ } },
  { name: 'happyhorse r2v short side of 400 px', shot: { ...HH_R2V, media: [{ type: 'reference_image', url: 'a.png' }] }, files: { 'a.png': { width: 1000, height: 390 } }, expect: { code: 'media-dimensions' } },
  { name: 'happyhorse video edit with its defaults', shot: HH_EDIT },
  { name: 'happyhorse video edit takes no duration', shot: { ...HH_EDIT, duration: 5 }, expect: { code: 'field-not-supported', message: /as long as its input/ } },
  { name: 'happyhorse video edit at most 5 reference images', shot: { ...HH_EDIT, media: [{ type: 'video', url: VID }, ...Array.from({ length: 6 }, () => ({ type: 'reference_image', url: IMG }))] }, expect: { code: 'media-count' } },
  { name: 'happyhorse video edit needs its video', shot: { ...HH_EDIT, media: [] }, expect: { code: 'media-count' } },
  { name: 'happyhorse video edit a local video up to 60 s', shot: { ...HH_EDIT, media: [{ type: 'video', url: 'clip.mp4' }] }, files: { 'clip.mp4': { format: 'mp4', seconds: 61, width: 1280, height: 720 } }, expect: { code: 'media-length' } },
  { name: 'happyhorse 1.1 has no video edit model', shot: { ...HH_EDIT, model: 'happyhorse-1.1-video-edit' }, expect: { code: 'model-unknown', hint: /happyhorse-1.0-video-edit/ } },
];

const KL_T2V = { model: 'kling/kling-v3-video-generation', prompt: 'a chase on rooftops', aspect_ratio: '16:9' };
const KL_OMNI = 'kling/kling-v3-omni-video-generation';

export const KLING_CASES: RuleCase[] = [
  { name: 'kling t2v with aspect_ratio', shot: KL_T2V },
  { name: 'kling t2v needs aspect_ratio', shot: { ...KL_T2V, aspect_ratio: undefined }, expect: { code: 'aspect-ratio-missing', hint: /16:9/ } },
  { name: 'kling first frame: aspect_ratio follows the image', shot: { model: 'kling/kling-v3-video-generation', prompt: 'go', media: [{ type: 'first_frame', url: IMG }] } },
  { name: 'kling sizes by mode, not resolution', shot: { ...KL_T2V, resolution: '720P' }, expect: { code: 'resolution-not-accepted', hint: /mode: pro \(1080P\), std \(720P\)/ } },
  { name: 'kling mode hd is not a mode', shot: { ...KL_T2V, mode: 'hd' }, expect: { code: 'mode-not-allowed' } },
  { name: 'kling has no seed', shot: { ...KL_T2V, seed: 3 }, expect: { code: 'field-not-supported', hint: /no seed/ } },
  { name: 'kling refuses prompts over 2500 characters', shot: { ...KL_T2V, prompt: 'x'.repeat(2501) }, expect: { code: 'prompt-too-long' } },
  { name: 'kling needs a prompt without customised shots', shot: { model: 'kling/kling-v3-video-generation', aspect_ratio: '16:9' }, expect: { code: 'prompt-missing' } },
  { name: 'kling durations 3–15', shot: { ...KL_T2V, duration: 16 }, expect: { code: 'duration-not-allowed' } },
  { name: 'kling v3 takes no refer', shot: { ...KL_T2V, media: [{ type: 'refer', url: IMG }] }, expect: { code: 'media-type-not-allowed', hint: /kling-v3-omni/ } },
  { name: 'kling a last frame needs a first frame', shot: { ...KL_T2V, media: [{ type: 'last_frame', url: IMG }] }, expect: { code: 'media-combination' } },
  { name: 'kling multi_shot needs shot_type', shot: { ...KL_T2V, multi_shot: true }, expect: { code: 'shot-type-missing' } },
  { name: 'kling customize needs multi_prompt', shot: { ...KL_T2V, multi_shot: true, shot_type: 'customize' }, expect: { code: 'multi-prompt-missing' } },
  { name: 'kling customised shots add up to duration', shot: { ...KL_T2V, multi_shot: true, shot_type: 'customize', duration: 10, multi_prompt: [{ index: 1, prompt: 'a', duration: 4 }, { index: 2, prompt: 'b', duration: 4 }] }, expect: { code: 'multi-prompt-duration', hint: /duration: 8/ } },
  { name: 'kling customised shots that add up', shot: { ...KL_T2V, multi_shot: true, shot_type: 'customize', duration: 8, multi_prompt: [{ index: 1, prompt: 'a', duration: 4 }, { index: 2, prompt: 'b', duration: 4 }] } },
  { name: 'kling a Wan shot_type is named', shot: { ...KL_T2V, shot_type: 'multi' }, expect: { code: 'shot-type-invalid', hint: /intelligence or customize/ } },
  { name: 'kling is Beijing only', shot: KL_T2V, region: 'ap-southeast-1', expect: { code: 'region-not-hosted' } },
  { name: 'kling omni refer needs aspect_ratio', shot: { model: KL_OMNI, prompt: '<<<image_1>>> runs', media: [{ type: 'refer', url: IMG }] }, expect: { code: 'aspect-ratio-missing' } },
  { name: 'kling omni refer with aspect_ratio', shot: { model: KL_OMNI, prompt: '<<<image_1>>> runs', aspect_ratio: '1:1', media: [{ type: 'refer', url: IMG }] } },
  { name: 'kling omni <<<image_2>>> with one image', shot: { model: KL_OMNI, prompt: '<<<image_2>>> runs', aspect_ratio: '1:1', media: [{ type: 'refer', url: IMG }] }, expect: { code: 'ref-out-of-range', severity: 'warning' } },
  { name: 'kling omni edits a base video and keeps its sound', shot: { model: KL_OMNI, prompt: 'snow', media: [{ type: 'base', url: VID, keep_original_sound: 'yes' }] } },
  { name: 'kling omni keep_original_sound is yes or no', shot: { model: KL_OMNI, prompt: 'snow', media: [{ type: 'base', url: VID, keep_original_sound: true }] }, expect: { code: 'media-key-invalid', hint: /yes or no/ } },
  { name: 'kling omni no sound with a video', shot: { model: KL_OMNI, prompt: 'snow', audio: true, media: [{ type: 'base', url: VID }] }, expect: { code: 'audio-with-video' } },
  { name: 'kling omni 10 s at most with a video', shot: { model: KL_OMNI, prompt: 'snow', duration: 12, media: [{ type: 'base', url: VID }] }, expect: { code: 'duration-not-allowed', message: /with a base or feature/ } },
  { name: 'kling omni base + first frame is not a combination', shot: { model: KL_OMNI, prompt: 'x', media: [{ type: 'base', url: VID }, { type: 'first_frame', url: IMG }] }, expect: { code: 'media-combination' } },
  { name: 'kling omni 4 images and subjects at most with a video', shot: { model: KL_OMNI, prompt: 'x', aspect_ratio: '1:1', media: [{ type: 'feature', url: VID }, ...Array.from({ length: 3 }, () => ({ type: 'refer', url: IMG }))], element_list: [{ element_id: 1 }, { element_id: 2 }] }, expect: { code: 'media-count', message: /at most 4/ } },
  { name: 'kling omni videos of at least 720 px', shot: { model: KL_OMNI, prompt: 'x', media: [{ type: 'base', url: 'clip.mp4' }] }, files: { 'clip.mp4': { format: 'mp4', seconds: 5, width: 640, height: 360 } }, expect: { code: 'media-dimensions' } },
];

const VI_T2V = { model: 'vidu/viduq3-turbo_text2video', prompt: 'a cat under the moon' };
const VI_SE = { model: 'vidu/viduq3-pro_start-end2video', prompt: 'the cat jumps', media: [{ type: 'image', url: IMG }, { type: 'image', url: IMG }] };
const VI_REF = { model: 'vidu/viduq2-pro_reference2video', prompt: 'he plays', media: [{ type: 'video', url: VID }, { type: 'image', url: IMG }] };

export const VIDU_CASES: RuleCase[] = [
  { name: 'vidu t2v with its defaults', shot: VI_T2V },
  { name: 'vidu t2v size from the tier row', shot: { ...VI_T2V, resolution: '1080P', size: '1808*1808' } },
  { name: 'vidu t2v a size alone says its tier', shot: { ...VI_T2V, size: '1024*576' } },
  { name: 'vidu t2v size of another tier', shot: { ...VI_T2V, resolution: '540P', size: '1280*720' }, expect: { code: 'size-not-in-table', hint: /resolution: 720P/ } },
  { name: 'vidu q3 up to 16 s', shot: { ...VI_T2V, duration: 16 } },
  { name: 'vidu q2 up to 10 s', shot: { ...VI_T2V, model: 'vidu/viduq2_text2video', duration: 11 }, expect: { code: 'duration-not-allowed' } },
  { name: 'vidu q2 is silent', shot: { ...VI_T2V, model: 'vidu/viduq2_text2video', audio: true }, expect: { code: 'field-not-supported', hint: /q3/ } },
  { name: 'vidu q3 may have sound', shot: { ...VI_T2V, audio: true } },
  { name: 'vidu img2video a PixVerse image_url names image', shot: { model: 'vidu/viduq3-pro_img2video', media: [{ type: 'image_url', url: IMG }] }, expect: { code: 'media-type-not-allowed', hint: /write type: image/ } },
  { name: 'vidu img2video a Wan first_frame names image', shot: { model: 'vidu/viduq3-pro_img2video', media: [{ type: 'first_frame', url: IMG }] }, expect: { code: 'media-type-not-allowed', hint: /write type: image/ } },
  { name: 'vidu img2video takes no size', shot: { model: 'vidu/viduq3-pro_img2video', media: [{ type: 'image', url: IMG }], size: '1280*720' }, expect: { code: 'size-not-accepted' } },
  { name: 'vidu q2-pro-fast has no 540P', shot: { model: 'vidu/viduq2-pro-fast_img2video', media: [{ type: 'image', url: IMG }], resolution: '540P' }, expect: { code: 'resolution-not-allowed' } },
  { name: 'vidu start-end two images', shot: VI_SE },
  { name: 'vidu start-end needs exactly two images', shot: { ...VI_SE, media: [{ type: 'image', url: IMG }] }, expect: { code: 'media-count' } },
  { name: 'vidu start-end first_frame/last_frame are not its types', shot: { ...VI_SE, media: [{ type: 'first_frame', url: IMG }, { type: 'last_frame', url: IMG }] }, expect: { code: 'media-type-not-allowed', hint: /image/ } },
  { name: 'vidu reference videos only on q2-pro', shot: { ...VI_REF, model: 'vidu/viduq3_reference2video' }, expect: { code: 'media-type-not-allowed' } },
  { name: 'vidu q2-pro reference with a video', shot: VI_REF },
  { name: 'vidu q2-pro reference duration 0 = the model decides', shot: { ...VI_REF, duration: 0 } },
  { name: 'vidu q3 reference has no duration 0', shot: { ...VI_REF, model: 'vidu/viduq3_reference2video', media: [{ type: 'image', url: IMG }], duration: 0 }, expect: { code: 'duration-not-allowed' } },
  { name: 'vidu reference at most 7 images', shot: { ...VI_REF, model: 'vidu/viduq3_reference2video', media: Array.from({ length: 8 }, () => ({ type: 'image', url: IMG })) }, expect: { code: 'media-count', hint: /at most 7/ } },
  { name: 'vidu images up to 50 MB', shot: { model: 'vidu/viduq3-pro_img2video', media: [{ type: 'image', url: 'a.png' }] }, files: { 'a.png': { bytes: 51 * 1024 * 1024 } }, expect: { code: 'media-too-large' } },
  { name: 'vidu is Beijing only', shot: VI_T2V, region: 'us-east-1', expect: { code: 'region-not-hosted' } },
];

const UPSCALE = { model: 'pixverse/pixverse-upscale', media: [{ type: 'video_url', url: VID }] };
const LIPSYNC = { model: 'pixverse/pixverse-lipsync', media: [{ type: 'video_url', url: VID }, { type: 'audio_url', url: MP3 }] };
const TTS = [{ type: 'lip_sync_tts_speaker_id', id: 'auto' }, { type: 'lip_sync_tts_content', content: '保持热爱' }];
const MOTION = { model: 'pixverse/pixverse-motioncontrol', resolution: '720P', media: [{ type: 'image_url', url: IMG }, { type: 'video_url', url: VID }] };
const OMNI = { model: 'pixverse/pixverse-v6-r2v-omni', prompt: '@man dances', aspect_ratio: '16:9', resolution: '720P', duration: 5, media: [{ type: 'image_url', url: IMG, ref_name: 'man' }] };

export const PIXVERSE_TOOL_CASES: RuleCase[] = [
  { name: 'upscale one video', shot: UPSCALE },
  { name: 'upscale takes no prompt', shot: { ...UPSCALE, prompt: 'sharper' }, expect: { code: 'field-not-supported', hint: /remove prompt/ } },
  { name: 'upscale takes no duration', shot: { ...UPSCALE, duration: 5 }, expect: { code: 'field-not-supported' } },
  { name: 'upscale takes no resolution', shot: { ...UPSCALE, resolution: '1080P' }, expect: { code: 'resolution-not-accepted', message: /follows the input video/ } },
  { name: 'upscale a Wan video type names video_url', shot: { ...UPSCALE, media: [{ type: 'video', url: VID }] }, expect: { code: 'media-type-not-allowed', hint: /video_url/ } },
  { name: 'upscale local video up to 30 s', shot: { ...UPSCALE, media: [{ type: 'video_url', url: 'clip.mp4' }] }, files: { 'clip.mp4': { format: 'mp4', seconds: 31, width: 1280, height: 720 } }, expect: { code: 'media-length' } },
  { name: 'lipsync video + audio', shot: LIPSYNC },
  { name: 'lipsync video + TTS', shot: { ...LIPSYNC, media: [{ type: 'video_url', url: VID }, ...TTS] } },
  { name: 'lipsync audio or TTS, not both', shot: { ...LIPSYNC, media: [...LIPSYNC.media, ...TTS] }, expect: { code: 'media-combination' } },
  { name: 'lipsync TTS needs a speaker and the text', shot: { ...LIPSYNC, media: [{ type: 'video_url', url: VID }, TTS[1]] }, expect: { code: 'media-combination' } },
  { name: 'lipsync TTS text at most 200 characters', shot: { ...LIPSYNC, media: [{ type: 'video_url', url: VID }, TTS[0], { type: 'lip_sync_tts_content', content: 'x'.repeat(201) }] }, expect: { code: 'media-text-too-long' } },
  { name: 'lipsync a TTS item without its id', shot: { ...LIPSYNC, media: [{ type: 'video_url', url: VID }, { type: 'lip_sync_tts_speaker_id' }, TTS[1]] }, expect: { code: 'missing-key', hint: /add id/ } },
  { name: 'lipsync has no seed', shot: { ...LIPSYNC, seed: 1 }, expect: { code: 'field-not-supported', hint: /no seed/ } },
  { name: 'motioncontrol image + motion video', shot: MOTION },
  { name: 'motioncontrol needs resolution', shot: { ...MOTION, resolution: undefined }, expect: { code: 'resolution-missing', hint: /360P\|540P\|720P/ } },
  { name: 'motioncontrol stops at 720P', shot: { ...MOTION, resolution: '1080P' }, expect: { code: 'resolution-not-allowed' } },
  { name: 'motioncontrol needs its video', shot: { ...MOTION, media: [MOTION.media[0]] }, expect: { code: 'media-count' } },
  { name: 'r2v-omni images with ref_name', shot: OMNI },
  { name: 'r2v-omni needs aspect_ratio', shot: { ...OMNI, aspect_ratio: undefined }, expect: { code: 'aspect-ratio-missing' } },
  { name: 'r2v-omni takes auto', shot: { ...OMNI, aspect_ratio: 'auto' } },
  { name: 'r2v-omni duration 0 with a video', shot: { ...OMNI, prompt: 'dance', duration: 0, media: [{ type: 'video_url', url: VID }] } },
  { name: 'r2v-omni a video needs duration 0', shot: { ...OMNI, prompt: 'dance', media: [{ type: 'video_url', url: VID }] }, expect: { code: 'duration-not-allowed', hint: /0/ } },
  { name: 'r2v-omni takes resolution, not size', shot: { ...OMNI, size: '1280*720' }, expect: { code: 'size-not-accepted' } },
  { name: 'v6-r2v reads 2048 characters (the newer page copy)', shot: { model: 'pixverse/pixverse-v6-r2v', prompt: 'x'.repeat(2049), size: '1280*720', duration: 5, media: [{ type: 'image_url', url: IMG }] }, expect: { code: 'prompt-truncated', severity: 'warning', message: /2048/ } },
  { name: 'r2v-omni unused ref_name', shot: { ...OMNI, prompt: 'he dances' }, expect: { code: 'ref-unused' } },
];

const H3 = { model: 'MiniMax/MiniMax-H3', prompt: 'a fleet jumps away', resolution: '768P', ratio: '16:9', duration: 5 };

export const MINIMAX_CASES: RuleCase[] = [
  { name: 'minimax t2v on a workspace host', shot: H3, host: 'workspace' },
  { name: 'minimax is served on workspace hosts only', shot: H3, expect: { code: 'workspace-host-only', hint: /workspace/ } },
  { name: 'minimax needs resolution', shot: { ...H3, resolution: undefined }, host: 'workspace', expect: { code: 'resolution-missing', hint: /768P\|2K/ } },
  { name: 'minimax needs duration', shot: { ...H3, duration: undefined }, host: 'workspace', expect: { code: 'duration-missing', hint: /4–15/ } },
  { name: 'minimax durations from 4 s', shot: { ...H3, duration: 3 }, host: 'workspace', expect: { code: 'duration-not-allowed' } },
  { name: 'minimax t2v needs a ratio', shot: { ...H3, ratio: undefined }, host: 'workspace', expect: { code: 'ratio-missing' } },
  { name: 'minimax t2v ratio adaptive has nothing to adapt to', shot: { ...H3, ratio: 'adaptive' }, host: 'workspace', expect: { code: 'ratio-missing', pointer: '/shots/0/ratio' } },
  { name: 'minimax first frame needs no ratio', shot: { ...H3, ratio: undefined, media: [{ type: 'first_frame', url: IMG }] }, host: 'workspace' },
  { name: 'minimax refuses prompts over 7000 characters', shot: { ...H3, prompt: 'x'.repeat(7001) }, host: 'workspace', expect: { code: 'prompt-too-long' } },
  { name: 'minimax frames and references do not mix', shot: { ...H3, media: [{ type: 'first_frame', url: IMG }, { type: 'image_url', url: IMG }] }, host: 'workspace', expect: { code: 'media-combination' } },
  { name: 'minimax at most 3 reference videos', shot: { ...H3, media: Array.from({ length: 4 }, () => ({ type: 'feature', url: VID })) }, host: 'workspace', expect: { code: 'media-count' } },
  { name: 'minimax has no seed', shot: { ...H3, seed: 1 }, host: 'workspace', expect: { code: 'field-not-supported', hint: /no seed/ } },
  { name: 'minimax takes 2K, not 1080P', shot: { ...H3, resolution: '1080P' }, host: 'workspace', expect: { code: 'resolution-not-allowed' } },
];

const W30 = { model: 'wan3.0-video', prompt: '视频1 plays with 图1', media: [{ type: 'reference_video', url: VID }, { type: 'reference_image', url: IMG }] };

export const WAN30_CASES: RuleCase[] = [
  { name: 'wan3.0 references on a workspace host', shot: W30, host: 'workspace' },
  { name: 'wan3.0 is served on workspace hosts only', shot: W30, expect: { code: 'workspace-host-only' } },
  { name: 'wan3.0 is in Tokyo', shot: W30, host: 'workspace', region: 'ap-northeast-1' },
  { name: 'wan3.0 needs a prompt or media', shot: { model: 'wan3.0-video' }, host: 'workspace', expect: { code: 'prompt-missing' } },
  { name: 'wan3.0 media alone is enough', shot: { model: 'wan3.0-video', media: [{ type: 'link', url: 'https://example.com/news' }] }, host: 'workspace' },
  { name: 'wan3.0 frames and references do not mix', shot: { ...W30, media: [...W30.media, { type: 'first_frame', url: IMG }] }, host: 'workspace', expect: { code: 'media-combination' } },
  { name: 'wan3.0 a file or a link, not both', shot: { ...W30, media: [{ type: 'file', url: 'https://example.com/a.pdf' }, { type: 'link', url: 'https://example.com/b' }] }, host: 'workspace', expect: { code: 'media-combination' } },
  { name: 'wan3.0 a link is a public URL, not a local file', shot: { ...W30, media: [{ type: 'link', url: 'page.html' }] }, host: 'workspace', files: { 'page.html': {} }, expect: { code: 'url-scheme' } },
  { name: 'wan3.0 up to 30 s', shot: { ...W30, duration: 30 }, host: 'workspace' },
  { name: 'wan3.0 not 31 s', shot: { ...W30, duration: 31 }, host: 'workspace', expect: { code: 'duration-not-allowed', hint: /-1 \(the model chooses/ } },
  { name: 'wan3.0 -1 lets the model choose', shot: { ...W30, duration: -1 }, host: 'workspace' },
  { name: 'wan3.0 音频2 with one audio', shot: { ...W30, prompt: '音频2 sings', media: [{ type: 'reference_audio', url: MP3 }] }, host: 'workspace', expect: { code: 'ref-out-of-range', severity: 'warning' } },
  { name: 'wan3.0 at most 10 reference images', shot: { ...W30, media: Array.from({ length: 11 }, () => ({ type: 'reference_image', url: IMG })) }, host: 'workspace', expect: { code: 'media-count' } },
  { name: 'wan3.0 ratio 21:9 is not offered', shot: { ...W30, ratio: '21:9' }, host: 'workspace', expect: { code: 'ratio-not-allowed' } },
];

export function issuesOf(c: RuleCase): Issue[] {
  const localFiles = new Map(Object.entries(c.files ?? {}).map(([p, f]) => [p, fileInfo(p, f)]));
  return checkManifest(oneShot(c.shot), { ...(c.region ? { region: c.region } : {}), ...(c.host ? { host: c.host } : {}), localFiles });
}

export function runCases(title: string, cases: readonly RuleCase[]): void {
  describe(title, () => {
    for (const c of cases) {
      it(c.name, () => {
        const issues = issuesOf(c);
        if (!c.expect) {
          assert.deepEqual(issues, [], show(issues));
          return;
        }
        const found = issues.find((i) => i.code === c.expect!.code);
        assert.ok(found, `expected ${c.expect.code}, got:\n${show(issues)}`);
        assert.equal(found.severity, c.expect.severity ?? 'error', show(issues));
        if (c.expect.pointer) assert.equal(found.pointer, c.expect.pointer);
        if (c.expect.hint) assert.match(found.hint ?? '', c.expect.hint);
        if (c.expect.message) assert.match(found.message, c.expect.message);
        if ((c.expect.severity ?? 'error') === 'warning') assert.deepEqual(errors(issues), [], show(issues));
      });
    }
    it('every issue names its shot and place and says how to fix it', () => {
      for (const c of cases.filter((x) => x.expect)) {
        for (const issue of issuesOf(c)) {
          const where = `${c.name}: ${issue.code}`;
          assert.equal(issue.shot, 's', where);
          assert.match(issue.pointer ?? '', /^\/shots\/0(\/|$)/, where);
          assert.ok((issue.hint ?? '').length > 5, `${where} has no hint`);
        }
      }
    });
  });
}

runCases('Wan 2.2–2.7 rules', WAN_CASES);
runCases('HappyHorse rules', HAPPYHORSE_CASES);
runCases('Kling rules', KLING_CASES);
runCases('Vidu rules', VIDU_CASES);
runCases('PixVerse upscale, lipsync, motion control and r2v-omni rules', PIXVERSE_TOOL_CASES);
runCases('MiniMax rules', MINIMAX_CASES);
runCases('Wan 3.0 rules', WAN30_CASES);

const plan = (shot: Record<string, unknown>) => planShot({ id: 's', ...shot } as Shot, { localFiles: new Map(), region: 'cn-beijing' });

describe('Wan 3.0 plans', () => {
  it('pins 1080P, adaptive, 5 s and sound on; -1 is estimated at 30 s', () => {
    const p = plan(W30);
    assert.deepEqual(p.body.parameters, { resolution: '1080P', ratio: 'adaptive', duration: 5, audio: true, seed: p.body.parameters['seed'], prompt_extend: true, watermark: false });
    const smart = plan({ ...W30, duration: -1 });
    assert.equal(smart.billableSeconds, 30);
    assert.match(smart.billableEstimate ?? '', /the model chooses/);
  });
});

describe('PixVerse tool plans', () => {
  it('upscale bills the input length at most 30 s, at 4K, with no price documented', () => {
    const p = plan(UPSCALE);
    assert.deepEqual(p.body, { model: 'pixverse/pixverse-upscale', input: { media: UPSCALE.media }, parameters: { watermark: false, seed: p.body.parameters['seed'] } });
    assert.deepEqual([p.tier, p.billableSeconds, p.estimatedCost], ['4K', 30, undefined]);
  });
  it('lipsync TTS items carry id and content, never a url', () => {
    const p = plan({ ...LIPSYNC, media: [{ type: 'video_url', url: VID }, ...TTS] });
    assert.deepEqual(p.body.input['media'], [{ type: 'video_url', url: VID }, ...TTS]);
    assert.deepEqual(p.body.parameters, { watermark: false });
    // "保持热爱" is 12 UTF-8 bytes: ⌈12 / 15⌉ = 1 s.
    assert.deepEqual([p.billableSeconds, p.billableEstimate], [1, undefined]);
    const long = plan({ ...LIPSYNC, media: [{ type: 'video_url', url: VID }, TTS[0], { type: 'lip_sync_tts_content', content: '字'.repeat(100) }] });
    assert.equal(long.billableSeconds, 20);
  });
});

describe('Vidu plans', () => {
  it('pins 720P, its 16:9 size, 5 s, sound and watermark off', () => {
    const p = plan(VI_T2V);
    assert.deepEqual(p.body.parameters, { resolution: '720P', size: '1280*720', duration: 5, audio: false, watermark: false, seed: p.body.parameters['seed'] });
    assert.equal(p.estimatedCost, 1.875);
  });
  it('a size follows the tier asked', () => assert.equal(plan({ ...VI_T2V, resolution: '1080P' }).body.parameters['size'], '1920*1080'));
  it('a size alone pins its own tier', () => {
    const p = plan({ ...VI_T2V, size: '1024*576' });
    assert.deepEqual([p.body.parameters['resolution'], p.tier, p.estimatedCost], ['540P', '540P', 1.25]);
  });
  it('q2-pro reference with duration 0 is estimated at its 10 s ceiling', () => {
    const p = plan({ ...VI_REF, duration: 0 });
    assert.equal(p.billableSeconds, 10);
    assert.match(p.billableEstimate ?? '', /at most 10/);
  });
});

describe('Kling plans', () => {
  it('pins mode pro, sound off, multi_shot off; sends no seed', () => {
    const p = plan(KL_T2V);
    assert.deepEqual(p.body.input, { prompt: KL_T2V.prompt, multi_shot: false });
    assert.deepEqual(p.body.parameters, { mode: 'pro', aspect_ratio: '16:9', duration: 5, audio: false, watermark: false });
    assert.equal(p.seedDerived, false);
    assert.equal(p.estimatedCost, 4);
  });
  it('omni with a reference video bills the with-video price even when silent', () => {
    const p = plan({ model: KL_OMNI, prompt: 'x', mode: 'std', media: [{ type: 'base', url: VID, keep_original_sound: 'yes' }] });
    assert.deepEqual(p.body.input['media'], [{ type: 'base', url: VID, keep_original_sound: 'yes' }]);
    assert.equal(p.estimatedCost, 4.5);
  });
});

describe('HappyHorse plans', () => {
  it('pins the watermark ON, the 1080P tier, 16:9 and 5 s', () => {
    const p = plan(HH_T2V);
    assert.deepEqual(p.body.parameters, { resolution: '1080P', ratio: '16:9', duration: 5, watermark: true, seed: p.body.parameters['seed'] });
    assert.ok(p.pinned.includes('watermark'));
    assert.equal(p.estimatedCost, 8);
  });
  it('the video edit sends no duration and bills input + output of at most 15 s each', () => {
    const p = plan(HH_EDIT);
    assert.equal(p.body.parameters['duration'], undefined);
    assert.equal(p.body.parameters['audio_setting'], 'auto');
    assert.equal(p.billableSeconds, 30);
  });
  it('1.1 has no documented price', () => assert.equal(plan(HH_I2V).estimatedCost, undefined));
});

describe('Wan plans: pinned defaults, sound and billed seconds', () => {

  it('wan2.6-t2v pins size, duration and the rewriter, sends no audio and records the sound', () => {
    const p = plan(T2V26);
    assert.deepEqual(p.body.parameters, { size: '1920*1080', duration: 5, prompt_extend: true, shot_type: 'single', watermark: false, seed: p.body.parameters['seed'] });
    assert.equal(p.audio, true);
    assert.ok(p.implicit?.some((x) => /always generates sound/.test(x)));
    assert.equal(p.estimatedCost, 5);
  });
  it('wan2.7-t2v pins resolution and ratio', () => {
    const p = plan(T2V27);
    assert.equal(p.body.parameters['resolution'], '1080P');
    assert.equal(p.body.parameters['ratio'], '16:9');
    assert.ok(p.pinned.includes('ratio'));
  });
  it('wan2.7-r2v pins no ratio when a first frame decides the shape', () => {
    const p = plan({ ...R2V27, media: [...R2V27.media, { type: 'first_frame', url: IMG }] });
    assert.equal(p.body.parameters['ratio'], undefined);
  });
  it('wan2.7-videoedit pins duration 0 and bills the input twice at most (input + output of its length)', () => {
    const p = plan(EDIT27);
    assert.equal(p.body.parameters['duration'], 0);
    assert.equal(p.body.parameters['audio_setting'], 'auto');
    assert.equal(p.body.parameters['ratio'], undefined, 'no ratio: the output follows the input video');
    assert.equal(p.billableSeconds, 20);
    assert.match(p.billableEstimate ?? '', /at most/);
  });
  it('wan2.6-r2v bills at most 5 s of reference video on top of the output, none for images only', () => {
    const p = plan({ ...R2V26, duration: 10 });
    assert.equal(p.billableSeconds, 15);
    const images = plan({ ...R2V26, duration: 10, reference_urls: [IMG, IMG] });
    assert.deepEqual([images.billableSeconds, images.billableEstimate], [10, undefined]);
  });
  it('wan2.2-kf2v-flash goes to the image2video path and pins 5 s at 720P', () => {
    const p = plan(KF2V22);
    assert.equal(p.endpoint, '/services/aigc/image2video/video-synthesis');
    assert.deepEqual([p.body.parameters['resolution'], p.body.parameters['duration']], ['720P', 5]);
    assert.equal(p.audio, false);
    assert.equal(p.estimatedCost, 1);
  });
});
