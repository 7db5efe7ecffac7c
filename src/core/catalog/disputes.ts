// Rules on which two official pages disagree. A refused submit costs nothing, so refusing locally
// what the service might accept would only take a choice away from the user: the validator warns
// (naming both pages) and plans the request as written; the emulator follows the stricter reading
// by default and the other behind `disputedRules: 'lenient'` (`pixverse emulator --disputed lenient`).

/** An official page, cited by its address. */
export interface SourcePage {
  /** Short name used in messages, e.g. `help.aliyun.com pixverse-image-to-video-api-reference`. */
  title: string;
  url: string;
}

export type DisputeId = 'pixverse-v5.6-it2v-1080p' | 'pixverse-it2v-several-images';

export interface Dispute {
  id: DisputeId;
  /** What is in dispute, as a noun phrase: "1080P on pixverse/pixverse-v5.6-it2v". */
  subject: string;
  /** The page that allows it, and what it says. */
  allows: { page: SourcePage; says: string };
  /** The page that forbids it (the emulator's default reading), and what it says. */
  forbids: { page: SourcePage; says: string };
  /** What to do if the service refuses it. */
  fallback: string;
}

const PIXVERSE_IT2V_HELP: SourcePage = {
  title: 'help.aliyun.com pixverse-image-to-video-api-reference',
  url: 'https://help.aliyun.com/zh/model-studio/pixverse-image-to-video-api-reference',
};
const PIXVERSE_IT2V_QIANWEN: SourcePage = {
  title: 'platform.qianwenai.com pixverse-image-to-video-first-frame/create-task',
  url: 'https://platform.qianwenai.com/docs/api-reference/video-generation/pixverse-image-to-video-first-frame/create-task',
};

export const DISPUTES: Readonly<Record<DisputeId, Dispute>> = {
  'pixverse-v5.6-it2v-1080p': {
    id: 'pixverse-v5.6-it2v-1080p',
    subject: 'resolution 1080P on pixverse/pixverse-v5.6-it2v',
    allows: { page: PIXVERSE_IT2V_HELP, says: 'lists 360P–1080P (durations 5 or 8 at 1080P)' },
    forbids: { page: PIXVERSE_IT2V_QIANWEN, says: 'stops at 720P' },
    fallback: 'if the server refuses it (a refused submit costs nothing), use resolution: 720P',
  },
  'pixverse-it2v-several-images': {
    id: 'pixverse-it2v-several-images',
    subject: 'more than one image on a PixVerse it2v model',
    allows: { page: PIXVERSE_IT2V_HELP, says: 'recommends one image and uses the last one when several are sent' },
    forbids: { page: PIXVERSE_IT2V_QIANWEN, says: 'allows at most one media item (maxItems 1)' },
    fallback: 'keep only the image you want as the first frame (the server would use the last one at best)',
  },
};

/** The warning text for a disputed rule: both pages, what each says, and the way out. */
export function disputeMessage(d: Dispute): { message: string; hint: string } {
  return {
    message: `${d.subject} is disputed by the official pages: ${d.allows.page.title} ${d.allows.says}; ${d.forbids.page.title} ${d.forbids.says}`,
    hint: `sent as written; ${d.fallback}`,
  };
}
