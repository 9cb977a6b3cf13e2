/**
 * The report's HTML page: one self-contained document (inline CSS, inline SVG, no scripts, no
 * external resources) with a header, a table of contents and one <section> per topic.
 */
import { escapeHtml } from "./format.ts";

export interface Section {
  /** Anchor id (also what tests and links look for). */
  id: string;
  title: string;
  /** One or two sentences saying what the section shows (plain text). */
  intro?: string;
  /** Inner HTML (charts, tables). */
  html: string;
}

export interface PageOptions {
  title: string;
  /** Plain-text lines under the title (run directory, scenario). */
  subtitle: string[];
  sections: Section[];
}

const CSS = `
:root { color-scheme: light; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1b1b1b;
  margin: 0 auto; padding: 16px 24px 48px; max-width: 1060px; background: #fff; }
h1 { font-size: 22px; margin: 8px 0 4px; }
h2 { font-size: 18px; margin: 32px 0 6px; padding-top: 8px; border-top: 1px solid #ddd; }
h3 { font-size: 14px; margin: 12px 0 4px; }
p.sub { margin: 0; color: #555; }
p.intro { color: #444; margin: 4px 0 10px; max-width: 880px; }
nav { margin: 12px 0; color: #555; }
nav a { margin-right: 12px; color: #0b5cad; text-decoration: none; }
.grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(480px, 1fr)); gap: 8px 16px; }
svg.chart { max-width: 100%; height: auto; display: block; }
svg text { font: 12px system-ui, sans-serif; fill: #333; }
svg text.axis-title { font-size: 12px; fill: #222; }
svg text.note { font-size: 11px; fill: #777; }
svg .grid { stroke: #e8e8e8; }
svg .axis { stroke: #888; }
.maps { display: flex; flex-wrap: wrap; gap: 12px; }
figure.map-panel { margin: 0; text-align: center; font-size: 12px; }
svg.map-legend { margin-top: 10px; }
table { border-collapse: collapse; margin: 6px 0 12px; font-variant-numeric: tabular-nums; }
th, td { padding: 3px 10px; border-bottom: 1px solid #e4e4e4; text-align: right; }
th { background: #f6f6f6; font-weight: 600; }
td:first-child, th:first-child { text-align: left; }
td.key { font-family: ui-monospace, monospace; font-size: 12px; }
details summary { cursor: pointer; color: #0b5cad; }
footer { margin-top: 32px; color: #777; font-size: 12px; }
`;

/** The whole page. */
export function page(o: PageOptions): string {
  const nav = o.sections.map((s) => `<a href="#${s.id}">${escapeHtml(s.title)}</a>`).join("");
  const body = o.sections
    .map(
      (s) =>
        `<section id="${s.id}"><h2>${escapeHtml(s.title)}</h2>${s.intro ? `<p class="intro">${escapeHtml(s.intro)}</p>` : ""}${s.html}</section>`,
    )
    .join("\n");
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(o.title)}</title>
<style>${CSS}</style>
</head>
<body>
<header><h1>${escapeHtml(o.title)}</h1>${o.subtitle.map((l) => `<p class="sub">${escapeHtml(l)}</p>`).join("")}</header>
<nav>${nav}</nav>
${body}
<footer>Written by fleetrl report. Self-contained: no scripts, no network access needed.</footer>
</body>
</html>
`;
}

/** Charts side by side, wrapping on narrow screens. */
export function grid(items: string[]): string {
  return `<div class="grid">${items.map((i) => `<div>${i}</div>`).join("")}</div>`;
}

/** An HTML table; cells are plain text (escaped). */
export function table(headers: string[], rows: string[][], cls = ""): string {
  const head = `<tr>${headers.map((h) => `<th>${escapeHtml(h)}</th>`).join("")}</tr>`;
  const body = rows
    .map(
      (r) =>
        `<tr>${r.map((c, i) => `<td${i === 0 && cls ? ` class="${cls}"` : ""}>${escapeHtml(c)}</td>`).join("")}</tr>`,
    )
    .join("");
  return `<table>${head}${body}</table>`;
}

/**
 * Nested config as dotted key → value rows, arrays inline.
 * @example flattenConfig({ env: { vehicles: 60 }, hours: [1, 2] }) // [["env.vehicles", "60"], ["hours", "1, 2"]]
 */
export function flattenConfig(value: unknown, prefix = ""): [string, string][] {
  if (value !== null && typeof value === "object" && !Array.isArray(value)) {
    return Object.entries(value).flatMap(([k, v]) =>
      flattenConfig(v, prefix ? `${prefix}.${k}` : k),
    );
  }
  const text = Array.isArray(value)
    ? value.map((v) => (typeof v === "string" ? v : JSON.stringify(v))).join(", ")
    : typeof value === "string"
      ? value
      : JSON.stringify(value);
  return [[prefix, text ?? ""]];
}
