// Help text of `pixverse animatic`: a module of its own, so that `pixverse animatic --help` loads nothing else.
export const USAGE = `Usage: pixverse animatic <manifest.yaml> [options]

Joins the current videos of the manifest, in manifest order, into one film:
<output>/<name>/animatic.mp4. A shot's sweep variants follow one another in the order its
values are listed. Every clip is scaled into one frame size (keeping its shape, padded with
black) at one frame rate; a clip without sound gets silence. animatic.json records the
videos (sha256) it was made from, and \`pixverse status\` says when it is stale. Needs ffmpeg
(PIXVERSE_FFMPEG names another binary); renders and sends nothing.

Options:
  --only <ids>         only these shots: ids or globs on expanded ids (hero@*), comma-separated or repeated
  --size <W*H>         frame size (default: the most common size among the clips)
  --fps <n>            frame rate (default: the first clip's)
  --labels             burn each shot's id into the bottom left of its clip
  --json               print the record (animatic.json's content) instead of a summary
  --config <file>      use this config file instead of searching for pixverse.config.ts
  --region <region>    override the region (PIXVERSE_REGION, config region)
  --output-dir <dir>   override the output base (OUTPUT_DIR, config outputDir)
  --emulator           join the renders of \`pixverse run --emulator\`
  -h, --help           show this help

Exit codes: 0 made, 2 invalid manifest or usage (or no selected shot has a current video),
3 ffmpeg not found or a configuration error.`;
