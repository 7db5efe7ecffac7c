// Escaping for the three report formats. Every string that came from a user (prompts, ids) or a
// server (error messages, URLs) goes through one of these before it lands in markdown or HTML.

/** Escapes text for HTML element content and double-quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ENTITIES[c]!);
}

const HTML_ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Collapses whitespace runs (newlines included) to one space and cuts to `max` characters with `…`. */
export function truncate(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  const chars = [...flat]; // by code point, so a cut never splits a surrogate pair
  return chars.length <= max ? flat : chars.slice(0, Math.max(0, max - 1)).join('') + '…';
}

/**
 * Makes text safe inside a GitHub-flavoured markdown table cell: one line, `|` escaped, and
 * characters that would start HTML, emphasis or code escaped so a prompt renders as written.
 */
export function escapeMarkdownCell(text: string): string {
  return text
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/\\/g, '\\\\')
    .replace(/\|/g, '\\|')
    .replace(/[`*_[\]<>]/g, (c) => (c === '<' ? '&lt;' : c === '>' ? '&gt;' : '\\' + c));
}

/**
 * A relative link to a file below the output directory: each path segment percent-encoded, so
 * sweep ids such as `hero@seed=2,size=720*1280` and spaces survive in markdown and HTML `src`.
 */
export function relativeHref(relPath: string): string {
  return relPath
    .split('/')
    .map((segment) => encodeURIComponent(segment).replace(/[()*]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase()))
    .join('/');
}
