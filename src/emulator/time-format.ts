// Time formats of the task API. Task times are `YYYY-MM-DD HH:mm:ss.SSS` in UTC+8 (Beijing);
// list windows are `YYYYMMDDhhmmss`, read here in UTC+8 as well; list rows use epoch ms.

const UTC8_MS = 8 * 3600 * 1000;

export function formatTaskTime(epochMs: number): string {
  return new Date(Math.floor(epochMs) + UTC8_MS).toISOString().replace('T', ' ').replace('Z', '');
}

/** Parses `YYYYMMDDhhmmss` (UTC+8) to epoch ms; undefined when malformed. */
export function parseListTime(text: string): number | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$/.exec(text);
  if (!m) return undefined;
  const [y, mo, d, h, mi, s] = m.slice(1).map(Number) as [number, number, number, number, number, number];
  const ms = Date.UTC(y, mo - 1, d, h, mi, s);
  const back = new Date(ms);
  // Reject dates Date.UTC silently rolled over (month 13, hour 25...).
  if (back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d || back.getUTCHours() !== h || back.getUTCMinutes() !== mi || back.getUTCSeconds() !== s) {
    return undefined;
  }
  return ms - UTC8_MS;
}

export function formatListTime(epochMs: number): string {
  return new Date(epochMs + UTC8_MS).toISOString().slice(0, 19).replace(/[-T:]/g, '');
}
