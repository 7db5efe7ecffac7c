// `index.html`: a contact sheet that plays every shot's video in manifest order. It must work
// opened straight from disk and anywhere the output folder is copied: relative `src`, no external
// resources (inline CSS, a Content-Security-Policy that forbids fetching anything remote), every
// string HTML-escaped. A tiny inline script marks each <video> with `data-loaded` once its
// metadata loads (or `data-error`), which is what the headless-browser test reads back.
//
// Hundreds of shots: only the first EAGER_VIDEOS players fetch metadata on open; the others
// start with preload="none" (playable on click, nothing fetched) and switch to "metadata" as
// they scroll near the viewport, or all at once with `#all` in the address (the "load every
// preview" link).
import type { Report, ReportShot } from './report-model.js';
import { POSTER_OFFSET_S } from '../evidence/poster-path.js';
import { measuredText } from './measured-text.js';
import { notModelStudioBanner } from './report-model.js';
import { escapeHtml, relativeHref, truncate } from './text-escape.js';

const CSS = `
:root{color-scheme:light dark;font-family:system-ui,-apple-system,"Segoe UI",sans-serif}
body{margin:1.5rem;background:Canvas;color:CanvasText}
h1{font-size:1.4rem;margin:0 0 .5rem}
.meta{font-size:.85rem;opacity:.8;margin:.2rem 0}
.banner{border:2px solid #c80;background:#c8800020;padding:.5rem .8rem;border-radius:6px;margin:.8rem 0;font-weight:600}
.grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(300px,1fr));gap:1rem;margin-top:1rem}
.card{border:1px solid #8885;border-radius:8px;padding:.6rem;display:flex;flex-direction:column;gap:.35rem;overflow-wrap:anywhere}
.card video,.card .novideo{width:100%;aspect-ratio:16/9;background:#000;border-radius:4px}
.novideo{display:flex;align-items:center;justify-content:center;color:#bbb;font-size:.9rem}
.id{font-weight:700;font-family:ui-monospace,monospace}
.state{display:inline-block;padding:0 .4rem;border-radius:4px;font-size:.8rem;font-weight:600}
.s-current{background:#2a7a2a;color:#fff}.s-stale{background:#a67c00;color:#fff}.s-running{background:#2a5aa6;color:#fff}
.s-failed{background:#b02a2a;color:#fff}.s-missing,.s-never-rendered{background:#777;color:#fff}
.prompt{font-size:.9rem}.small{font-size:.8rem;opacity:.85}.error{color:#d33;font-size:.85rem}
`;

/** Players that fetch metadata as soon as the page opens; the rest wait until scrolled near. */
export const EAGER_VIDEOS = 12;

// Marks each video once its metadata is known (or it failed); checks readyState too, since the
// events may have fired before this script ran. Then wakes lazy players near the viewport (or
// all of them with #all). The <video> error event does not bubble, hence a listener per player.
const SCRIPT = `
const videos = [...document.querySelectorAll('video')];
for (const v of videos) {
  const loaded = () => v.setAttribute('data-loaded', String(v.duration));
  const failed = () => v.setAttribute('data-error', String(v.error ? v.error.code : 'unknown'));
  if (v.readyState >= 1) loaded(); else v.addEventListener('loadedmetadata', loaded);
  if (v.error) failed(); else v.addEventListener('error', failed);
}
const wake = (v) => {
  if (!v.hasAttribute('data-lazy')) return;
  v.removeAttribute('data-lazy');
  v.preload = 'metadata';
  v.load();
};
const lazy = videos.filter((v) => v.hasAttribute('data-lazy'));
const wakeAll = () => lazy.forEach(wake);
if (location.hash === '#all' || !('IntersectionObserver' in window)) wakeAll();
else {
  const seen = new IntersectionObserver((entries) => {
    for (const e of entries) if (e.isIntersecting) { seen.unobserve(e.target); wake(e.target); }
  }, { rootMargin: '800px 0px' });
  lazy.forEach((v) => seen.observe(v));
  addEventListener('hashchange', () => { if (location.hash === '#all') wakeAll(); });
}
`;

const CSP = "default-src 'none'; media-src 'self' file:; img-src 'self' file: data:; style-src 'unsafe-inline'; script-src 'unsafe-inline'";

/** The video's URL; without a poster, a media fragment makes the browser show the frame at the offset. */
function videoSrc(file: string, poster: string | null): string {
  return poster ? relativeHref(file) : `${relativeHref(file)}#t=${POSTER_OFFSET_S}`;
}

function card(s: ReportShot, eager: boolean): string {
  const e = escapeHtml;
  const media =
    s.file && s.file_on_disk
      ? `<video src="${e(videoSrc(s.file, s.poster_file))}"${s.poster_file ? ` poster="${e(relativeHref(s.poster_file))}"` : ''} controls muted loop playsinline ${eager ? 'preload="metadata"' : 'preload="none" data-lazy'} data-shot="${e(s.id)}"></video>`
      : `<div class="novideo">${e(s.state === 'running' ? 'rendering…' : 'no video')}</div>`;
  const evidence = [
    s.request_file ? `<a href="${e(relativeHref(s.request_file))}">request</a>` : '',
    s.snapshots_file ? `<a href="${e(relativeHref(s.snapshots_file))}">snapshots</a>` : '',
    s.stored?.href ? `<a href="${e(s.stored.href)}">stored</a>` : s.stored ? `stored: ${e(s.stored.url)}` : '',
  ].filter(Boolean);
  const asked = [s.size ?? s.resolution ?? s.tier, s.duration !== null ? `${s.duration} s` : '', s.audio === null ? '' : s.audio ? 'audio' : 'silent']
    .filter(Boolean)
    .join(' · ');
  const lines = [
    `<article class="card" id="shot-${e(s.id)}">`,
    media,
    `<div><span class="id">${e(s.id)}</span> <span class="state s-${e(s.state)}">${e(s.state)}</span></div>`,
    `<div class="prompt">${s.prompt ? e(truncate(s.prompt, 400)) : '<em>no prompt</em>'}</div>`,
    `<div class="small">${e(s.model)} · ${e(asked)} · seed ${s.seed === null ? '—' : e(String(s.seed))}${s.status ? ` · ${e(s.status)}` : ''}</div>`,
  ];
  if (s.measured || s.measure_error) lines.push(`<div class="small">file: ${e(measuredText(s))}</div>`);
  for (const m of s.mismatches) lines.push(`<div class="error mismatch">⚠ ${e(m)}</div>`);
  // A failed shot's detail is its error: show it once, in the error style.
  if (s.error_code) lines.push(`<div class="error">${e(s.error_code)}: ${e(truncate(s.error_message ?? '', 300))}${s.task_id ? ` · task ${e(s.task_id)}` : ''}</div>`);
  else lines.push(`<div class="small">${e(s.detail)}${s.task_id && !s.detail.includes(s.task_id) ? ` · task ${e(s.task_id)}` : ''}</div>`);
  if (evidence.length) lines.push(`<div class="small">${evidence.join(' · ')}</div>`);
  lines.push('</article>');
  return lines.join('\n');
}

export function renderHtml(report: Report): string {
  const r = report.run;
  const e = escapeHtml;
  const c = r.counts;
  let withVideo = 0;
  const cards = report.shots.map((s) => card(s, !(s.file && s.file_on_disk) || ++withVideo <= EAGER_VIDEOS));
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${e(CSP)}">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${e(r.manifest_name)}: contact sheet</title>`,
    `<style>${CSS}</style>`,
    '</head>',
    '<body>',
    `<h1>${e(r.manifest_name)}</h1>`,
    r.emulator ? `<div class="banner">${e(notModelStudioBanner(r))}</div>` : '',
    `<p class="meta">${e(r.manifest)} · ${e(r.region)} · ${c.shots} shots: ${c.current} current, ${c.failed} failed, ${c.running} running, ${c.stale} stale, ${c.missing} missing, ${c.never_rendered} never rendered</p>`,
    `<p class="meta">run ${e(r.run_id ?? '—')} · pixverse-batch ${e(r.tool_version)} · generated ${e(r.generated_at)} · <a href="report.md">report.md</a> · <a href="report.json">report.json</a>${withVideo > EAGER_VIDEOS ? ' · <a href="#all">load every preview</a>' : ''}</p>`,
    '<main class="grid">',
    ...cards,
    '</main>',
    `<script>${SCRIPT}</script>`,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
