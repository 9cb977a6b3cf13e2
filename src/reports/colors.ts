/** Colours of the report: a colour-blind-safe categorical palette and a sequential ramp. */

/** Okabe–Ito colours: distinguishable with the common colour-vision deficiencies. */
export const PALETTE = [
  "#0072B2",
  "#E69F00",
  "#009E73",
  "#CC79A7",
  "#56B4E9",
  "#D55E00",
  "#999999",
  "#000000",
];

/** The i-th categorical colour (cycling). @example seriesColor(1) // "#E69F00" */
export function seriesColor(i: number): string {
  return PALETTE[i % PALETTE.length];
}

/** Light yellow → green → dark blue (ColorBrewer YlGnBu), for a value in [0, 1]. */
const RAMP = ["#ffffcc", "#c7e9b4", "#7fcdbb", "#41b6c4", "#1d91c0", "#225ea8", "#0c2c84"];

/**
 * Colour of `t` ∈ [0, 1] on the sequential ramp (clamped), interpolated in RGB.
 * @example rampColor(0) // "#ffffcc"
 * @example rampColor(1) // "#0c2c84"
 */
export function rampColor(t: number): string {
  const x = Math.min(1, Math.max(0, Number.isFinite(t) ? t : 0)) * (RAMP.length - 1);
  const i = Math.min(RAMP.length - 2, Math.floor(x));
  const a = hexToRgb(RAMP[i]);
  const b = hexToRgb(RAMP[i + 1]);
  const f = x - i;
  return `#${a
    .map((c, k) =>
      Math.round(c + (b[k] - c) * f)
        .toString(16)
        .padStart(2, "0"),
    )
    .join("")}`;
}

function hexToRgb(hex: string): [number, number, number] {
  const n = Number.parseInt(hex.slice(1), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}
