// Help text of `pixverse plan`: a module of its own, so that `pixverse plan --help` loads nothing else.
export const USAGE = `Usage: pixverse plan <manifest.yaml> [options]

Shows (and writes to <output>/<name>/plan/<shot>.json) the exact request every shot would send,
with billable seconds per tier and, when the config has prices, the estimated cost. No network.

Options:
  --json               print the plan as JSON
  --config <file>      use this config file instead of searching for pixverse.config.ts
  --region <region>    override the region (PIXVERSE_REGION, config region)
  --output-dir <dir>   override the output base (OUTPUT_DIR, config outputDir)
  --emulator           decide against the renders of \`pixverse run --emulator\` (kept apart)
  --base-url <url>     decide as \`pixverse run --base-url <url>\` would (its server's renders)
  -h, --help           show this help

Exit codes: 0 planned, 2 invalid manifest, 3 configuration error.`;
