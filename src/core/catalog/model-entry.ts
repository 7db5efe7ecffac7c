// The shape of one catalog entry: everything the validator, the planner, the scheduler, the cost
// estimate and the emulator need to know about a model, as data. Each entry cites the pages its
// facts come from; a fact the pages do not give is named in `undocumented` together with the
// behaviour chosen for it (always the one that cannot cost the user money).
//
// Shots speak each API's own vocabulary: a shot field is the name of a field of `input` or
// `parameters` (`size`, `ratio`, `img_url`, `media`…), so an entry lists the fields it takes and
// where each one goes.
import type { Region, Tier, Variant } from '../types.js';
import type { DisputeId } from './disputes.js';
import type { RuleProblem, RequestView } from './rules/problems.js';

export type Vendor = 'pixverse' | 'wan' | 'happyhorse' | 'kling' | 'vidu' | 'minimax';

// ---------------------------------------------------------------------------------------------
// Sizing: the five forms the vendors use.

/** `size: "W*H"` from a per-tier table (PixVerse t2v/r2v, Wan ≤ 2.6 t2v/r2v). */
export interface SizeSizing {
  kind: 'size';
  /** Allowed sizes per tier, in the order the docs list the aspect ratios. */
  tiers: SizeTable;
  /** The server's default size; pinned when the shot gives none. Absent: size is required. */
  serverDefault?: string;
}

/**
 * `resolution` tier (PixVerse it2v/kf2v, Wan i2v, HappyHorse i2v and video-edit, Vidu). With
 * `sizes`, an optional `size` from the chosen tier's row also applies (Vidu), defaulting to the
 * row's first size.
 */
export interface ResolutionSizing {
  kind: 'resolution';
  tiers: readonly Tier[];
  /** The server's default; pinned when the shot omits resolution. Absent: resolution is required. */
  serverDefault?: Tier;
  /** Tiers (also in `tiers`) that one official page allows and another does not. */
  disputedTiers?: Partial<Record<Tier, DisputeId>>;
  /** Vidu: `size` may narrow the tier to one aspect ratio; the first size of a row is its default. */
  sizes?: SizeTable;
}

/**
 * `resolution` + an aspect-ratio parameter (`ratio` for Wan 2.7/3.0, HappyHorse, MiniMax;
 * `aspect_ratio` for PixVerse r2v-omni).
 */
export interface RatioSizing {
  kind: 'resolution-ratio';
  tiers: readonly Tier[];
  serverDefault?: Tier;
  ratioField: 'ratio' | 'aspect_ratio';
  ratios: readonly string[];
  /** The server's default ratio; pinned. Absent and not required: the output follows the input. */
  ratioDefault?: string;
  /** The ratio must be given (MiniMax t2v, PixVerse r2v-omni). */
  ratioRequired?: boolean;
  /** The ratio is ignored when one of these media types is given (Wan 2.7 r2v: first_frame). */
  ratioIgnoredWith?: readonly string[];
  /** Output pixels per tier and ratio, when documented (for usage and reports). */
  pixels?: Partial<Record<Tier, Readonly<Record<string, string>>>>;
}

/** Kling: `mode` picks the tier, `aspect_ratio` the shape. */
export interface ModeSizing {
  kind: 'mode-aspect';
  modes: Readonly<Record<string, Tier>>;
  modeDefault: string;
  ratios: readonly string[];
  /** `aspect_ratio` must be given unless one of these media types is (it then follows the image). */
  ratioRequiredWithout?: readonly string[];
  ratioDefault?: string;
}

/** The output follows the input (upscale, lipsync): no sizing parameter. */
export interface InputSizing {
  kind: 'input';
  /** The tier billed and reported (upscale: 4K); else the input's, unknown before the run. */
  tier?: Tier;
}

export type Sizing = SizeSizing | ResolutionSizing | RatioSizing | ModeSizing | InputSizing;

export type SizeTable = Partial<Record<Tier, readonly string[]>>;

// ---------------------------------------------------------------------------------------------
// Duration.

export interface DurationRule {
  /** Either a closed integer range... */
  min?: number;
  max?: number;
  /** ...or a list of allowed values. */
  values?: readonly number[];
  /** Narrower lists for some tiers (v5.6: only 5 and 8 at 1080P). */
  byTier?: Partial<Record<Tier, readonly number[]>>;
  /** The server's default; pinned when the shot gives none. When absent duration is required. */
  serverDefault?: number;
  /** A different rule when one of these media types is given (Kling: 3–10 with a video). */
  withMedia?: { types: readonly string[]; rule: Omit<DurationRule, 'withMedia'>; why: string };
  /** Special values: 0 = the input's length (video edit), -1 = the model decides (Wan 3.0). */
  special?: Readonly<Record<number, string>>;
  /** The model has no duration parameter (the output length follows the input). */
  none?: boolean;
}

// ---------------------------------------------------------------------------------------------
// Prompt.

export interface PromptRule {
  required: boolean;
  maxChars: number;
  /** CJK characters count more (HappyHorse: 5000 non-Chinese or 2500 Chinese characters). */
  maxCjkChars?: number;
  /** What the service does with a longer prompt: cuts it (a warning) or refuses it (an error). */
  overLength: 'truncated' | 'refused';
  /** The model takes no prompt at all (upscale). */
  none?: boolean;
}

// ---------------------------------------------------------------------------------------------
// Media.

/**
 * URL schemes an input URL field accepts: `http`/`https` a public URL, `oss` the temporary
 * `oss://` URL of the upload flow (what a local file becomes), `data` a base64 `data:` URI. The
 * service answers any other value with 400 InvalidURL ("Invalid URL provided in your request.").
 */
export type UrlScheme = 'http' | 'https' | 'oss' | 'data';

export interface UrlRule {
  schemes: readonly UrlScheme[];
  /** The page that says so. */
  source: string;
  /**
   * Schemes accepted although the model's own page does not name them (oss://, from the
   * model-generic temporary-URL page): a warning that says why, never an error.
   */
  undocumented?: { schemes: readonly UrlScheme[]; note: string };
}

export type MediaKind = 'image' | 'video' | 'audio';

/** Limits of a media file, checked on local files before anything is uploaded. */
export interface FileLimits {
  /** Lower-case extensions accepted (checked against the content's magic bytes). */
  formats: readonly string[];
  maxBytes: number;
  /** Pixel limits per side. */
  minSide?: number;
  maxSide?: number;
  /** Short side at least (HappyHorse r2v: 400). */
  minShortSide?: number;
  /** Width / height within [min, max] (1:8–8:1 → 0.125–8). */
  ratio?: { min: number; max: number };
  /** False when the docs forbid an alpha channel ("PNG (no alpha)"); checked on PNG headers. */
  alphaAllowed?: boolean;
  /** Length in seconds (video, audio), when the file tells. */
  seconds?: { min?: number; max?: number };
}

/** What an item is for, across vendors: lets a hint name this model's type for another's. */
export type MediaRole =
  | 'first-frame'
  | 'last-frame'
  | 'reference-image'
  | 'reference-video'
  | 'source-video'
  | 'first-clip'
  | 'driving-audio'
  | 'audio'
  | 'voice'
  | 'motion-video'
  | 'tts-speaker'
  | 'tts-text'
  | 'element'
  | 'document'
  | 'web-page';

/** One kind of media item a model takes. */
export interface MediaSlot {
  /** The API's media type (`first_frame`, `image`…), or for a flat field its name (`img_url`). */
  type: string;
  /** `document` (a pdf, docx, pptx… the model reads) and `link` (a web page) only on Wan 3.0. */
  kind: MediaKind | 'text' | 'id' | 'document' | 'link';
  role: MediaRole;
  min: number;
  max: number;
  /** The key holding the item's value: `url` (default), `id` (a speaker), `content` (TTS text). */
  valueKey?: 'url' | 'id' | 'content';
  /** For url values. */
  urls?: UrlRule;
  limits?: FileLimits;
  /** For `content` values. */
  maxChars?: number;
  /** Optional keys an item of this type may carry. */
  refName?: boolean;
  /** Wan 2.7 r2v: an audio URL giving the voice of the referenced character. */
  voice?: { urls: UrlRule; limits: FileLimits };
  /** Optional keys with a fixed set of values (Kling omni videos: `keep_original_sound: yes|no`). */
  itemKeys?: Readonly<Record<string, readonly string[]>>;
}

/**
 * How a prompt refers to media items. `ref-name`: `@<ref_name>` followed by a space (PixVerse
 * r2v). `positional`: numbered tokens counting items of some types in order (`character2`,
 * `[Image 1]`, `图2`, `<<<image_1>>>`).
 */
export type PromptRefs =
  | { style: 'ref-name' }
  | { style: 'positional'; tokens: readonly PositionalToken[] };

export interface PositionalToken {
  /** A regex source with one capture group for the number, e.g. `\[Image (\d+)\]`. */
  pattern: string;
  /** How to write it in a hint, with N: `[Image N]`. */
  display: string;
  /** The media types this token counts, in order. */
  counts: readonly string[];
}

export interface MediaRule {
  /**
   * How the API takes media: `list` a `media` array of `{type, url…}` items; `flat` one input
   * field per slot (`img_url`, `first_frame_url`); `url-list` one array of URLs whose items are
   * images or videos (`reference_urls`); `none` no media.
   */
  shape: 'none' | 'list' | 'flat' | 'url-list';
  /** For `url-list`: the input field (`reference_urls`). */
  listField?: string;
  slots: readonly MediaSlot[];
  /** Only these combinations of types may be given together (Wan 2.7 i2v). */
  combos?: readonly (readonly string[])[];
  /** Totals over several types (Wan 2.7 r2v: reference images + videos ≤ 5, at least 1). */
  totals?: readonly { types: readonly string[]; min?: number; max: number }[];
  /** Groups of types that may not be mixed (Wan 3.0: keyframes or references). */
  exclusive?: readonly (readonly string[])[];
  /** The items' order carries their meaning (Vidu start-end: the first image opens the video). */
  order?: string;
  promptRefs?: PromptRefs;
  /** More items of a type than `max` is disputed by the official pages (PixVerse it2v). */
  disputedExtra?: { type: string; dispute: DisputeId };
}

// ---------------------------------------------------------------------------------------------
// Other parameters.

/** An optional parameter (or input field) beyond prompt, media, sizing and duration. */
export interface ParamRule {
  name: string;
  /** Where the API takes it. Default `parameters`. */
  in?: 'input' | 'parameters';
  type: 'boolean' | 'enum' | 'integer' | 'string' | 'object-list';
  values?: readonly string[];
  min?: number;
  max?: number;
  /** For object-list: the keys of each object and their types. */
  keys?: Readonly<Record<string, 'integer' | 'string'>>;
  /**
   * The server's default. A parameter with a default is written into every request (pinned),
   * so that a request never depends on a default that could change.
   */
  serverDefault?: boolean | string | number;
  /** The seed: derived from the shot id when the shot gives none. */
  derive?: 'seed';
  /** Shown in the editor schema and in hints. */
  doc: string;
}

/** Whether the output has sound, when the shot cannot say (the model has no audio parameter). */
export type OutputAudio = 'parameter' | 'always' | 'never' | 'input';

// ---------------------------------------------------------------------------------------------
// Quotas, prices, billing, results.

export interface QuotaRule {
  /** Models sharing a quota pool share this key (PixVerse pools per family; Kling and Vidu one pool each). */
  family: string;
  /** Tasks PENDING or RUNNING at once for the pool. */
  runningTasks: number;
  /** Submit requests per second for the pool (when documented per model, applied to the pool: stricter). */
  submitsPerSecond: number;
  /** Where the figures come from, or why they are assumed. */
  source: string;
}

/** A price per billed second at a tier: one figure, or one with sound and one without. */
export type TierPrice = number | { audio: number; silent: number };

export interface PriceRule {
  currency: 'CNY';
  /** The deployment scope the figures are for (prices differ per scope). */
  region: Region;
  perSecond: Partial<Record<Tier, TierPrice>>;
  /** Other figures when one of these media types is given (Kling omni with a reference video). */
  withMedia?: { types: readonly string[]; perSecond: Partial<Record<Tier, TierPrice>> };
  source: string;
}

/**
 * How many seconds a task is billed. `output` the requested duration; `input` the input
 * video's (or audio's) length (upscale, lipsync, video edit with duration 0); `input+output`
 * both (Wan video edit, HappyHorse video edit). When an input length is unknown at plan time
 * (a remote URL), the estimate uses `maxInputSeconds`, the documented ceiling.
 */
export interface BillingRule {
  seconds: 'output' | 'input' | 'input+output';
  maxInputSeconds?: number;
  /** The media types whose length is the input length. */
  inputTypes?: readonly string[];
  /** Lipsync TTS: the text item billed at ⌈UTF-8 bytes / bytesPerSecond⌉ seconds instead. */
  tts?: { type: string; bytesPerSecond: number };
}

export interface ResultRule {
  /** How long the result's video URL stays valid; undefined: "no expiry for now" (PixVerse). */
  urlTtlHours?: number;
  /** `usage.SR` as a string ("720", PixVerse) or an integer (Wan). */
  srAsString: boolean;
  /** Output frames per second, when documented. */
  fps?: number;
  /** Sizes the server silently delivers smaller, keyed `size@duration`. */
  deliveredSizeOverrides?: Readonly<Record<string, string>>;
}

/** A rule across fields that data cannot say (Kling: multi_prompt durations add up to duration). */
export type CrossRule = (view: RequestView, model: ModelEntry) => RuleProblem[];

export interface ModelEntry {
  name: string;
  vendor: Vendor;
  /** Family for grouping, prices and reports: `pixverse-v6`, `wan2.7`, `kling-v3`, `vidu-q3`. */
  family: string;
  variant: Variant;
  /** Addresses of the pages every fact below comes from. */
  sources: readonly string[];
  /** Submit path below the base URL. */
  endpoint: string;
  regions: readonly Region[];
  /** Documented only on workspace hosts (`{WorkspaceId}.{region}.maas.aliyuncs.com`). */
  workspaceOnly?: boolean;
  sizing: Sizing;
  duration: DurationRule;
  prompt: PromptRule;
  /** Present when the model takes `input.negative_prompt`. */
  negativePrompt?: { maxChars: number; overLength: 'truncated' | 'refused' };
  media: MediaRule;
  /** Optional parameters, in the order they are written into a request. */
  params: readonly ParamRule[];
  /** Whether the output has sound when there is no `audio` parameter to say so. */
  audio: OutputAudio;
  crossRules?: readonly CrossRule[];
  quota: QuotaRule;
  price?: PriceRule;
  billing: BillingRule;
  result: ResultRule;
  /** Facts the pages do not give, and the behaviour chosen for each. */
  undocumented?: readonly string[];
  /**
   * Why a manifest field this model does not take is refused, keyed by field name; shown as the
   * hint. Fields without an entry get a hint built from the catalog.
   */
  unsupportedHints?: Readonly<Record<string, string>>;
}
