// The storyboard as one video: which clips go in (in manifest order), the ffmpeg command that
// joins them (scaled and padded to one size, optionally with each shot's id burnt in, silence
// where a clip has no sound), and the record kept beside it (`animatic.json`) that says which
// videos it was made from, so `status` can tell when it is stale. Pure.

export const ANIMATIC_FILE = 'animatic.mp4';
export const ANIMATIC_RECORD = 'animatic.json';

export interface AnimaticClip {
  id: string;
  /** Path relative to the run folder (`videos/hero.mp4`). */
  file: string;
  sha256: string;
  width: number;
  height: number;
  /** Seconds. */
  duration: number;
  audio: boolean;
}

export interface AnimaticShape {
  width: number;
  height: number;
  fps: number;
  /** Burn each shot's id into its clip. */
  labels: boolean;
}

export interface AnimaticRecord {
  version: 1;
  file: string;
  made_at: string;
  width: number;
  height: number;
  fps: number;
  labels: boolean;
  /** The `--only` selectors it was made with, or null for every current shot of the manifest. */
  only: string[] | null;
  /** Seconds. */
  duration: number;
  sha256: string;
  /** The clips, in the order they play. */
  shots: Array<{ id: string; file: string; sha256: string; duration: number }>;
}

/** The most common clip size (the first clip's on a tie): fewest clips scaled. */
export function commonSize(clips: readonly AnimaticClip[]): { width: number; height: number } {
  const counts = new Map<string, number>();
  for (const c of clips) counts.set(`${c.width}x${c.height}`, (counts.get(`${c.width}x${c.height}`) ?? 0) + 1);
  let best = `${clips[0]!.width}x${clips[0]!.height}`;
  for (const [size, n] of counts) if (n > counts.get(best)!) best = size;
  const [width, height] = best.split('x').map(Number) as [number, number];
  return { width, height };
}

/**
 * ffmpeg's arguments (without the binary): every clip scaled into width×height keeping its
 * aspect ratio, padded with black, at one frame rate; its audio resampled, or silence of its
 * length; all concatenated; H.264 + AAC, `+faststart` so it plays while it loads. `inputs` are
 * the clips' paths as ffmpeg should open them, `labelFiles` one text file per clip (drawtext
 * reads the id from a file, so no id character needs escaping in the filter graph).
 */
export function animaticArgs(clips: readonly AnimaticClip[], shape: AnimaticShape, inputs: readonly string[], labelFiles: readonly string[], out: string): string[] {
  const { width: w, height: h, fps } = shape;
  const filters: string[] = [];
  const joined: string[] = [];
  clips.forEach((c, i) => {
    let v = `[${i}:v:0]scale=${w}:${h}:force_original_aspect_ratio=decrease,pad=${w}:${h}:(ow-iw)/2:(oh-ih)/2:black,setsar=1,fps=${fps},format=yuv420p`;
    if (shape.labels) {
      v += `,drawtext=textfile='${labelFiles[i]}':fontcolor=white:fontsize=${Math.max(12, Math.round(h / 22))}:box=1:boxcolor=black@0.6:boxborderw=${Math.max(4, Math.round(h / 120))}:x=${Math.round(h / 30)}:y=h-th-${Math.round(h / 30)}`;
    }
    // Each clip exactly its own length, so sound and picture stay together across the joins.
    filters.push(`${v},trim=duration=${c.duration},setpts=PTS-STARTPTS[v${i}]`);
    const a = c.audio ? `[${i}:a:0]aresample=48000,aformat=sample_fmts=fltp:channel_layouts=stereo,apad` : `anullsrc=r=48000:cl=stereo`;
    filters.push(`${a},atrim=duration=${c.duration},asetpts=PTS-STARTPTS[a${i}]`);
    joined.push(`[v${i}][a${i}]`);
  });
  filters.push(`${joined.join('')}concat=n=${clips.length}:v=1:a=1[v][a]`);
  return [
    '-y',
    ...inputs.flatMap((f) => ['-i', f]),
    '-filter_complex',
    filters.join(';'),
    '-map',
    '[v]',
    '-map',
    '[a]',
    '-c:v',
    'libx264',
    '-preset',
    'veryfast',
    '-crf',
    '20',
    '-pix_fmt',
    'yuv420p',
    '-c:a',
    'aac',
    '-b:a',
    '128k',
    '-movflags',
    '+faststart',
    '-f',
    'mp4',
    out,
  ];
}

export interface CurrentVideo {
  id: string;
  /** The shot's state now (`current`, `stale`…). */
  state: string;
  /** Its video's sha256, when it has one. */
  sha256?: string;
}

/**
 * Why the animatic no longer shows the storyboard (empty: up to date). `shots` are the
 * manifest's shots now, in order; `file` what is on disk at the record's path.
 */
export function animaticStaleness(record: AnimaticRecord, shots: readonly CurrentVideo[], file: { exists: boolean; sha256?: string }): string[] {
  if (!file.exists) return [`${record.file} is missing`];
  if (file.sha256 !== undefined && file.sha256 !== record.sha256) return [`${record.file} is not the file recorded (sha256 differs)`];
  const now = new Map(shots.map((s) => [s.id, s]));
  const reasons: string[] = [];
  for (const r of record.shots) {
    const s = now.get(r.id);
    if (!s) reasons.push(`${r.id} is no longer in the manifest`);
    else if (s.state !== 'current') reasons.push(`${r.id} is ${s.state} now`);
    else if (s.sha256 !== r.sha256) reasons.push(`${r.id} was rendered again`);
  }
  if (record.only === null) {
    const used = new Set(record.shots.map((r) => r.id));
    for (const s of shots) if (s.state === 'current' && !used.has(s.id)) reasons.push(`${s.id} was rendered since and is not in it`);
  }
  return reasons;
}
