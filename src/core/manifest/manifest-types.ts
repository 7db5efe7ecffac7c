// Types of the manifest layer: the document as parsed, the expanded shots with the places their
// values came from, and what the I/O edge found out about local media files.
import type { Shot } from '../types.js';

/** Where each value of one expanded shot was written, as JSON pointers into the manifest. */
export interface ShotOrigin {
  /** Index of the shot in the manifest's `shots` list. */
  index: number;
  /** Pointer of the shot's mapping, e.g. `/shots/3`. */
  pointer: string;
  /** The id as written, before any sweep suffix (`shots[3]` when the shot has no usable id). */
  baseId: string;
  /** Field → pointer of the value used: `/shots/3/duration`, `/defaults/audio`, `/shots/3/seed/1`. */
  fields: Readonly<Record<string, string>>;
}

export interface ExpandedShot {
  shot: Shot;
  origin: ShotOrigin;
}

/** Image formats recognised from magic bytes. */
export type ImageFormat = 'png' | 'jpeg' | 'webp' | 'bmp' | 'gif' | 'tiff' | 'heic' | 'avif';
/** Video and audio formats recognised from magic bytes. */
export type AvFormat = 'mp4' | 'mov' | 'webm' | 'wav' | 'mp3';
export type MediaFormat = ImageFormat | AvFormat;

/**
 * A local media file as the I/O edge found it. The pure validator and planner never read files;
 * they get these facts, keyed by the url exactly as written in the manifest.
 */
export interface LocalFileInfo {
  /** The url as written (a path relative to the manifest). */
  manifestPath: string;
  absPath: string;
  exists: boolean;
  isFile: boolean;
  bytes: number;
  /** From the magic bytes; undefined when the content is not a known format. */
  format?: MediaFormat;
  /** What the content is, from its format. */
  kind?: 'image' | 'video' | 'audio';
  /** Pixel dimensions when the format header gives them cheaply. */
  width?: number;
  height?: number;
  /** Length in seconds (video, audio) when the container gives it cheaply. */
  seconds?: number;
  /** PNG only: colour type with an alpha channel, or a tRNS chunk before the image data. */
  hasAlpha?: boolean;
  /** Hex sha256 of the content; present when the file was read. */
  sha256?: string;
  /** Why the file could not be read, when it exists but reading failed. */
  readError?: string;
}
