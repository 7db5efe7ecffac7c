// Help text of `pixverse init`: a module of its own, so that `pixverse init --help` loads nothing else.
export const USAGE = `Usage: pixverse init [manifest.yaml] [options]

Writes a starter manifest (default jobs/shots.yaml) with the editor-schema modeline, so an editor
with the YAML language server completes model names and flags a size or duration the chosen
model does not take. The modeline names node_modules/pixverse-batch/schemas/manifest.schema.json
(relative) when the project has the package installed, else this installation's schema.

Options:
  --force              overwrite the file if it exists
  -h, --help           show this help

Exit codes: 0 written, 2 the file exists (without --force) or usage.`;
