// Help text of `pixverse validate`: a module of its own, so that `pixverse validate --help` loads nothing else.
export const USAGE = `Usage: pixverse validate <manifest.yaml…> [options]

Checks every shot against its model's rules and reports all issues at once. No network.

Options:
  --json             print the result as JSON (below) instead of text
  --config <file>    use this config file instead of searching for pixverse.config.ts
  --region <region>  region to check models against (overrides PIXVERSE_REGION and config)
  -h, --help         show this help

Text output, one line per issue, then one summary line per manifest:
  <file>:<line>:<col> <error|warning> [shot <id>] <what is wrong> — hint: <how to fix it>
A warning repeated word for word in several shots is printed once, at its first place,
followed by "(also <ids> and N more shots)"; --json lists every occurrence.

JSON output (one object; fields may be added, never renamed or removed):
  { "valid": <boolean, false if any manifest has an error>,
    "manifests": [ { "file": <path as shown in positions>, "name", "region",
                     "shots": <number of shots after sweeps>, "valid", "errors", "warnings",
                     "issues": [ <issue>, … in file order ] } ] }
  <issue> = { "severity": "error"|"warning", "code": <stable id, e.g. "size-not-in-table">,
              "message", "hint"?, "shot"? <shot id>, "pointer"? <JSON pointer into the manifest>,
              "pos"? { "file", "line", "col" } (1-based),
              "related"? [ { "message", "pointer", "pos"? } ], "alsoIn"? [ <shot ids> ] }

Exit codes: 0 valid (warnings allowed), 2 invalid, 3 configuration error.`;
