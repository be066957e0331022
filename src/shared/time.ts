// Times are stored in UTC; customers and merchants see Asia/Jakarta (WIB, UTC+7, no DST).
const WIB_OFFSET_MS = 7 * 3600_000;

const pad = (n: number, w = 2) => n.toString().padStart(w, '0');

function wibParts(d: Date) {
  const w = new Date(d.getTime() + WIB_OFFSET_MS);
  return { y: w.getUTCFullYear(), mo: pad(w.getUTCMonth() + 1), d: pad(w.getUTCDate()), h: pad(w.getUTCHours()), mi: pad(w.getUTCMinutes()), s: pad(w.getUTCSeconds()) };
}

/** "26/11/2026 23:05 WIB" */
export function formatJakarta(d: Date): string {
  const p = wibParts(d);
  return `${p.d}/${p.mo}/${p.y} ${p.h}:${p.mi} WIB`;
}

/** "23:05 WIB" */
export function formatJakartaTime(d: Date): string {
  const p = wibParts(d);
  return `${p.h}:${p.mi} WIB`;
}

/** "2026-11-26 23:05:00" in WIB, the layout Midtrans uses. */
export function jakartaDateTime(d: Date): string {
  const p = wibParts(d);
  return `${p.y}-${p.mo}-${p.d} ${p.h}:${p.mi}:${p.s}`;
}

/** "2026-11-26T23:05:00+07:00", the ISO layout SNAP APIs (DOKU) require. */
export function jakartaIso(d: Date): string {
  const p = wibParts(d);
  return `${p.y}-${p.mo}-${p.d}T${p.h}:${p.mi}:${p.s}+07:00`;
}

/** Parses "YYYY-MM-DD HH:mm:ss" given in WIB. */
export function parseJakartaDateTime(s: string): Date {
  const m = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})/.exec(s);
  if (!m) throw new Error(`not a date-time: ${s}`);
  return new Date(Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]) - WIB_OFFSET_MS);
}
