// DashScope task times (`output.submit_time`, `scheduled_time`, `end_time`) are strings like
// `2026-03-20 14:05:09.123` on the server's clock, which is UTC+8 (Beijing) in every region
// (protocol §3). The report gives every time as ISO 8601 in UTC (`…Z`), like its own run times,
// so times from the server and from this machine compare and sort as plain strings.

const UTC8_MS = 8 * 3600 * 1000;

/**
 * `YYYY-MM-DD HH:mm:ss[.fff]` read as UTC+8 → ISO 8601 UTC. A time that already carries an
 * offset (`…Z`, `+08:00`) is normalised to UTC. Anything else (or an impossible date) → null:
 * the raw string stays in the snapshots file.
 */
export function serverTimeToIso(text: string | undefined | null): string | null {
  if (typeof text !== 'string') return null;
  const m = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:?\d{2})?$/i.exec(text.trim());
  if (!m) return null;
  const [y, mo, d, h, mi, s] = m.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  const ms = Number((m[7] ?? '0').padEnd(3, '0').slice(0, 3));
  const local = Date.UTC(y, mo - 1, d, h, mi, s, ms);
  const back = new Date(local);
  // Date.UTC silently rolls month 13 or hour 25 over; such a string is not a time.
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d || back.getUTCHours() !== h || back.getUTCMinutes() !== mi || back.getUTCSeconds() !== s) {
    return null;
  }
  const zone = m[8];
  let offsetMs = UTC8_MS;
  if (zone) {
    if (zone.toUpperCase() === 'Z') offsetMs = 0;
    else {
      const z = /^([+-])(\d{2}):?(\d{2})$/.exec(zone)!;
      offsetMs = (z[1] === '-' ? -1 : 1) * (Number(z[2]) * 60 + Number(z[3])) * 60_000;
    }
  }
  return new Date(local - offsetMs).toISOString();
}
