// Shared value types of the pure core. Nothing here touches the world.

/**
 * Regions Model Studio serves from; each has its own hosts, models and API keys. Frankfurt and
 * Tokyo are reached only through workspace hosts (`{WorkspaceId}.{region}.maas.aliyuncs.com`).
 */
export type Region = 'cn-beijing' | 'ap-southeast-1' | 'us-east-1' | 'eu-central-1' | 'ap-northeast-1' | 'cn-hongkong';
export const REGIONS: readonly Region[] = ['cn-beijing', 'ap-southeast-1', 'us-east-1', 'eu-central-1', 'ap-northeast-1', 'cn-hongkong'];

/** What a model does with its inputs. */
export type Variant =
  | 't2v'
  | 'it2v'
  | 'kf2v'
  | 'r2v'
  | 'i2v'
  | 'videoedit'
  | 'upscale'
  | 'lipsync'
  | 'motioncontrol';

/** Resolution tiers as the APIs spell them (MiniMax: 768P, 2K; upscale: 4K). */
export type Tier = '360P' | '480P' | '540P' | '720P' | '768P' | '1080P' | '2K' | '4K';
/** Every tier, lowest first. */
export const TIERS: readonly Tier[] = ['360P', '480P', '540P', '720P', '768P', '1080P', '2K', '4K'];

/** A media item as a manifest (and the API) writes it: a type and a url, id or content. */
export interface MediaItem {
  /** The API's own type name: `image_url`, `first_frame`, `reference_image`, `image`, `video`… */
  type: string;
  /** https URL, oss:// URL, data: URI, or a local path relative to the manifest file. */
  url?: string;
  /** PixVerse lipsync TTS speaker (`auto`, `2`…), in place of a url. */
  id?: string;
  /** PixVerse lipsync TTS text, in place of a url. */
  content?: string;
  /** PixVerse r2v: bound to `@<ref_name> ` in the prompt. */
  ref_name?: string;
  /** Wan 2.7 r2v: an audio URL giving the referenced character's voice. */
  reference_voice?: string;
}

/**
 * One shot after defaults are merged and sweeps expanded: what the user asked for, in the API's
 * own field names (a field of `input` or `parameters` of the shot's model). `id` is unique and
 * safe as a file name. Fields beyond those named here are model-specific (`ratio`, `mode`,
 * `first_frame_url`, `multi_prompt`…); the catalog says which model takes which.
 */
export interface Shot {
  id: string;
  model: string;
  prompt?: string;
  negative_prompt?: string;
  media?: MediaItem[];
  size?: string;
  resolution?: string;
  duration?: number;
  audio?: boolean;
  watermark?: boolean;
  seed?: number;
  prompt_extend?: boolean;
  shot_type?: string;
  /** Wan skill's name for the input image; sent as `input.img_url`. */
  reference_image?: string;
  /** Wan skill's normalised names; DashScope has no such parameters (see catalog). */
  fps?: number;
  motion_strength?: number;
  readonly [field: string]: unknown;
}

/** A position in a source file, 1-based. */
export interface SourcePos {
  file: string;
  line: number;
  col: number;
}

export type Severity = 'error' | 'warning';

/**
 * One problem found in user input. Validation returns a list of these and never throws:
 * every issue is reported at once.
 */
export interface Issue {
  severity: Severity;
  /** Stable machine-readable code, e.g. `size-not-in-table`. */
  code: string;
  /** What is wrong, in a sentence. */
  message: string;
  /** How to fix it, in a sentence. */
  hint?: string;
  /** The shot's id (after expansion) when the issue belongs to one shot. */
  shot?: string;
  /** JSON pointer into the manifest document, e.g. `/shots/3/duration`. */
  pointer?: string;
  pos?: SourcePos;
  /** Other places that take part (e.g. the first definition of a duplicate id). */
  related?: RelatedPlace[];
  /** Further shot ids with the very same issue at the same place (a sweep or a shared default). */
  alsoIn?: string[];
}

export interface RelatedPlace {
  /** What this place is, e.g. `first defined here`. */
  message: string;
  pointer: string;
  pos?: SourcePos;
}

/** A local file the request refers to; uploaded at run time, hashed for the shot key. */
export interface LocalMedia {
  /** JSON pointer into the request body where the oss:// URL goes, e.g. `/input/media/0/url`. */
  bodyPointer: string;
  /** Image, video or audio (as the file's content says), for limits and reports. */
  kind?: 'image' | 'video' | 'audio';
  /** Absolute path on disk. */
  absPath: string;
  /** Path as written in the manifest (relative to it). */
  manifestPath: string;
  sha256: string;
  bytes: number;
}

/** The exact request a shot turns into. */
export interface PlannedRequest {
  shotId: string;
  model: string;
  /** Path below the base URL, e.g. `/services/aigc/video-generation/video-synthesis`. */
  endpoint: string;
  /**
   * The JSON body to POST. Local media urls hold the placeholder `local:<manifestPath>`
   * until the run engine uploads them and substitutes the `oss://` URL.
   */
  body: RequestBody;
  localMedia: LocalMedia[];
  /** Content address: sha256 over the canonical body with local media replaced by their hashes. */
  key: string;
  /** Resolution tier used for billing (`720P`…), derived from size or resolution. */
  tier: Tier;
  /** Seconds billed if the shot succeeds. */
  billableSeconds: number;
  /**
   * Set when `billableSeconds` is an upper bound rather than exact (the input video's length
   * decides and is unknown before the run): says why.
   */
  billableEstimate?: string;
  /** Whether the output has sound, when known (from `audio`, or the model always/never has it). */
  audio?: boolean;
  /** Facts about the output that no parameter states, recorded because nothing is sent for them. */
  implicit?: string[];
  /** Estimated cost with prices from config, when known. */
  estimatedCost?: number;
  /** Fields the tool filled in because the server has a default for them (pinned). */
  pinned: string[];
  /** True when the seed was derived from the shot id rather than written by the user. */
  seedDerived: boolean;
}

export interface RequestBody {
  model: string;
  input: Record<string, unknown>;
  parameters: Record<string, unknown>;
}

/** Task states as DashScope reports them. */
export type TaskStatus = 'PENDING' | 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'CANCELED' | 'UNKNOWN';
export const TERMINAL_STATUSES: readonly TaskStatus[] = ['SUCCEEDED', 'FAILED', 'CANCELED', 'UNKNOWN'];
