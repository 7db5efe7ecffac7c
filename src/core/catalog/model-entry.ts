// The shape of one catalog entry: everything the validator, the planner, the scheduler and
// the emulator need to know about a model. Facts come from ../shared/spec/dashscope-video-api.md.
import type { Region, Tier, Variant } from '../types.js';
import type { DisputeId } from './disputes.js';

/** Size given as `W*H` from a per-tier table (t2v, r2v). */
export interface SizeFrame {
  kind: 'size';
  /** Allowed sizes per tier, in the order the docs list the aspect ratios. */
  tiers: Partial<Record<Tier, readonly string[]>>;
}

/** Size given as a resolution tier (it2v, kf2v, Wan). */
export interface ResolutionFrame {
  kind: 'resolution';
  tiers: readonly Tier[];
  /** The server's default; the planner sends it explicitly when the shot omits resolution. */
  serverDefault?: Tier;
  /** Tiers (also in `tiers`) that one official page allows and another does not. */
  disputedTiers?: Partial<Record<Tier, DisputeId>>;
}

export type FrameRule = SizeFrame | ResolutionFrame;

export interface DurationRule {
  /** Either a closed integer range... */
  min?: number;
  max?: number;
  /** ...or a list of allowed values. */
  values?: readonly number[];
  /** Narrower lists for some tiers (v5.6: only 5 and 8 at 1080P). */
  byTier?: Partial<Record<Tier, readonly number[]>>;
  /** The server's default; when absent the API requires duration. */
  serverDefault?: number;
}

/** How a variant takes its images. */
export type MediaRule =
  | { kind: 'none' }
  /**
   * it2v: one `image_url` item in `input.media`. `several` names the dispute over sending more
   * than one (one page: the last is used; another: at most one).
   */
  | { kind: 'first-frame'; several?: DisputeId }
  /** kf2v: exactly one `first_frame` and one `last_frame` in `input.media`. */
  | { kind: 'keyframes' }
  /** r2v: 1..max `image_url` items, optional unique `ref_name` bound to `@name ` in the prompt. */
  | { kind: 'references'; min: number; max: number }
  /** Wan i2v: one image sent as `input.img_url`. */
  | { kind: 'img-url' };

export interface ImageRule {
  /** Lower-case extensions accepted for local files (and checked against the file's magic bytes). */
  formats: readonly string[];
  maxBytes: number;
  /** Pixel limits per side, when documented. */
  minSide?: number;
  maxSide?: number;
  /** False when the docs forbid an alpha channel (Wan: "PNG (no alpha)"); checked on PNG headers. */
  alphaAllowed?: boolean;
  /** The URL schemes an image field takes (anything else: 400 InvalidURL). */
  urls: UrlRule;
}

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
   * Schemes accepted although the model's own page does not name them (PixVerse: oss://, from
   * the model-generic temporary-URL page): a warning that says why, never an error.
   */
  undocumented?: { schemes: readonly UrlScheme[]; note: string };
}

/**
 * Optional parameters the model accepts. A value here means the server has a default for it:
 * the planner always sends the parameter explicitly so a request never depends on a default
 * that could change under us.
 */
export interface ParameterDefaults {
  audio?: boolean;
  watermark?: boolean;
  shot_type?: 'single' | 'multi';
  prompt_extend?: boolean;
}

export interface QuotaRule {
  /** Models sharing a quota pool share this key (PixVerse pools t2v/it2v/kf2v/r2v per family). */
  family: string;
  /** Tasks PENDING or RUNNING at once for the family. */
  runningTasks: number;
  /** Submit requests per second for the family. */
  submitsPerSecond: number;
}

export interface ModelEntry {
  name: string;
  /** Provider family for grouping in messages and reports: `pixverse-v6`, `wan2.6`. */
  family: string;
  variant: Variant;
  /** Submit path below the base URL. */
  endpoint: string;
  regions: readonly Region[];
  frame: FrameRule;
  duration: DurationRule;
  prompt: { required: boolean; maxChars: number };
  /** Present when the model takes `input.negative_prompt`. */
  negativePrompt?: { maxChars: number };
  media: MediaRule;
  image: ImageRule;
  /** Present when the model takes `input.audio_url` (Wan 2.5/2.6 i2v). */
  audio?: { urls: UrlRule };
  /** Parameters with server-side defaults, pinned explicitly in every request. */
  defaults: ParameterDefaults;
  /** Seed range; every model documented here takes one. */
  seed: { min: number; max: number };
  quota: QuotaRule;
  /**
   * Why a manifest field this model does not take is refused, keyed by field name; shown as the
   * hint. Fields without an entry get a generic hint built from the catalog.
   */
  unsupportedHints?: Readonly<Record<string, string>>;
  /** Frames per second the model delivers (usage.fps), when documented. */
  fps?: number;
  /** Facts for the emulator's usage block and for reports. */
  usage: {
    /** PixVerse reports `SR` as a string ("720"), Wan as an integer. */
    srAsString: boolean;
    /** Sizes the server silently delivers smaller, keyed `size@duration`. */
    deliveredSizeOverrides?: Readonly<Record<string, string>>;
  };
}
