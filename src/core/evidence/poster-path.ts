// Where a video's poster frame is kept: beside it, same name, `.jpg` (`videos/hero.mp4` →
// `videos/hero.jpg`). Shot ids never end in `.mp4`, so a poster never collides with a video.
/**
 * Seconds into a video its poster is taken from, and the frame a tile without a poster shows (a
 * render's first frame is often a fade from black).
 */
export const POSTER_OFFSET_S = 0.5;

export function posterPathOf(videoRel: string): string {
  return videoRel.replace(/\.mp4$/i, '') + '.jpg';
}
