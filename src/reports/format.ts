/** Text helpers shared by the report's HTML and SVG: escaping and number formatting. */

/**
 * Escape text for HTML element content and attribute values.
 * @example escapeHtml(`a < b & "c"`) // "a &lt; b &amp; &quot;c&quot;"
 */
export function escapeHtml(text: string): string {
  return text
    .replaceAll("&", "&amp;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;");
}

/**
 * A number with `digits` decimals, thousands separated by a thin space; "–" when not finite.
 * @example fmt(25339.4) // "25 339"
 * @example fmt(0.1234, 3) // "0.123"
 */
export function fmt(value: number | null | undefined, digits = 0): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return "–";
  const [int, frac] = Math.abs(value).toFixed(digits).split(".");
  const grouped = int.replace(/\B(?=(\d{3})+(?!\d))/g, "\u2009");
  return `${value < 0 && Number(value.toFixed(digits)) !== 0 ? "−" : ""}${grouped}${frac ? `.${frac}` : ""}`;
}

/**
 * Mean ± half-width of the 95% CI; the half-width is "–" when unknown (one sample).
 * @example fmtCi(12.34, 1.2, 1) // "12.3 ± 1.2"
 */
export function fmtCi(mean: number, ci95: number | null, digits = 0): string {
  return `${fmt(mean, digits)} ± ${fmt(ci95, digits)}`;
}

/**
 * An SVG coordinate, rounded to 0.1 px to keep path strings short.
 * @example px(12.345) // "12.3"
 */
export function px(value: number): string {
  return String(Math.round(value * 10) / 10);
}
