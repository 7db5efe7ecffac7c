// Submit paths below the base URL (`POST {base}/services/aigc/…/video-synthesis`).

/** Every video model except the Wan 2.1/2.2 keyframe, s2v and animate models. */
export const VIDEO_SYNTHESIS_PATH = '/services/aigc/video-generation/video-synthesis';
/** wan2.2-kf2v-flash, wanx2.1-kf2v-plus (and the s2v/animate models, not in the catalog). */
export const IMAGE2VIDEO_PATH = '/services/aigc/image2video/video-synthesis';
