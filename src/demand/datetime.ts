/**
 * Date-time parsing for trip files, without Date objects or time zones: a local wall-clock time
 * becomes the seconds since 1970-01-01T00:00 of the same wall-clock time read as UTC. Trips of
 * one city are compared with each other only, so this keeps every hour 3600 s long (no DST jumps,
 * no ambiguous 01:30 in November) and lets `new Date(t * 1000).toISOString()` print local time.
 */

/** Days from 1970-01-01 to the given civil date (proleptic Gregorian; H. Hinnant's algorithm). */
export function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function validDate(y: number, m: number, d: number): boolean {
  if (m < 1 || m > 12 || d < 1 || d > DAYS_IN_MONTH[m - 1]) return false;
  return !(m === 2 && d === 29 && !(y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0)));
}

/** Read `n` decimal digits of `s` starting at `i`; −1 if any is not a digit. */
function digits(s: string, i: number, n: number): number {
  let v = 0;
  for (let k = 0; k < n; k++) {
    const c = s.charCodeAt(i + k) - 48;
    if (c < 0 || c > 9) return -1;
    v = v * 10 + c;
  }
  return v;
}

/**
 * Parse the date-time in `s.slice(start, end)` to wall-clock-as-UTC seconds, or NaN if it is not
 * one. Accepts `YYYY-MM-DD HH:MM[:SS[.fff]]` (also with `T` and a trailing `Z`, as TLC and ISO
 * write it) and `MM/DD/YYYY HH:MM[:SS] [AM|PM]` (NYC Open Data exports).
 *
 * @example
 * parseDateTime("2013-09-01 00:06:00"); // 1377993960
 * parseDateTime("09/01/2013 12:06:00 AM"); // 1377993960
 * parseDateTime("yesterday"); // NaN
 */
export function parseDateTime(s: string, start = 0, end = s.length): number {
  while (start < end && s.charCodeAt(start) === 32) start++;
  while (end > start && s.charCodeAt(end - 1) === 32) end--;
  let y: number;
  let mo: number;
  let d: number;
  let i: number;
  if (s.charCodeAt(start + 4) === 45 /* - */) {
    y = digits(s, start, 4);
    mo = digits(s, start + 5, 2);
    d = digits(s, start + 8, 2);
    if (s.charCodeAt(start + 7) !== 45) return Number.NaN;
    i = start + 10;
  } else if (s.charCodeAt(start + 2) === 47 /* / */ && s.charCodeAt(start + 5) === 47) {
    mo = digits(s, start, 2);
    d = digits(s, start + 3, 2);
    y = digits(s, start + 6, 4);
    i = start + 10;
  } else return Number.NaN;
  if (y < 0 || mo < 0 || d < 0 || !validDate(y, mo, d)) return Number.NaN;
  const sep = s.charCodeAt(i);
  if (i >= end || (sep !== 32 && sep !== 84) /* ' ' or T */) return Number.NaN;
  let h = digits(s, i + 1, 2);
  const mi = digits(s, i + 4, 2);
  if (h < 0 || mi < 0 || s.charCodeAt(i + 3) !== 58 /* : */) return Number.NaN;
  i += 6;
  let sec = 0;
  if (i < end && s.charCodeAt(i) === 58) {
    sec = digits(s, i + 1, 2);
    if (sec < 0) return Number.NaN;
    i += 3;
    if (i < end && s.charCodeAt(i) === 46 /* . */) {
      const fracStart = ++i;
      while (i < end && digits(s, i, 1) >= 0) i++;
      if (i > fracStart) sec += Number(`0.${s.slice(fracStart, i)}`);
    }
  }
  while (i < end && s.charCodeAt(i) === 32) i++;
  if (i < end) {
    const rest = s.slice(i, end).toUpperCase();
    if (rest === "AM" || rest === "PM") {
      if (h < 1 || h > 12) return Number.NaN;
      h = (h % 12) + (rest === "PM" ? 12 : 0);
    } else if (rest !== "Z") return Number.NaN;
  }
  if (h > 23 || mi > 59 || sec >= 61) return Number.NaN;
  return daysFromCivil(y, mo, d) * 86400 + h * 3600 + mi * 60 + sec;
}

/**
 * Wall-clock-as-UTC seconds back to `YYYY-MM-DD HH:MM:SS` (whole seconds).
 *
 * @example
 * formatDateTime(1377993960); // "2013-09-01 00:06:00"
 */
export function formatDateTime(t: number): string {
  return new Date(Math.round(t) * 1000).toISOString().slice(0, 19).replace("T", " ");
}

/**
 * Parse a `YYYY-MM-DD` date to the seconds of its midnight, or NaN.
 *
 * @example
 * parseDate("2013-09-01"); // 1377993600
 */
export function parseDate(s: string): number {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) return Number.NaN;
  const y = Number(s.slice(0, 4));
  const m = Number(s.slice(5, 7));
  const d = Number(s.slice(8, 10));
  return validDate(y, m, d) ? daysFromCivil(y, m, d) * 86400 : Number.NaN;
}

/**
 * Parse `HH:MM` (00:00 to 24:00) to seconds after midnight, or NaN.
 *
 * @example
 * parseClock("07:30"); // 27000
 */
export function parseClock(s: string): number {
  const m = /^(\d{1,2}):(\d{2})$/.exec(s);
  if (!m) return Number.NaN;
  const h = Number(m[1]);
  const mi = Number(m[2]);
  if (mi > 59 || h > 24 || (h === 24 && mi > 0)) return Number.NaN;
  return h * 3600 + mi * 60;
}
