/**
 * Animated replay of simulated episodes on the map: vehicles move along their routes coloured by
 * riders on board, orders appear where they are requested, wait, get picked up, dropped off
 * (green flash) or lost (red cross); play / pause / speed / scrub and live counters at the
 * replayed time. Two runs play side by side on one clock (e.g. the same seed under two
 * dispatchers).
 */
import { api, city, type RunSummary } from "./api.ts";
import { clock, fmt, h } from "./dom.ts";
import { type CityMap, drawBackground, MapProjection } from "./map.ts";
import { type Counters, Episode, OrderState } from "./replay-data.ts";

/** Vehicle colour by riders on board: 0, 1, 2, 3, 4+. */
export const OCCUPANCY_COLORS = ["#8a94a6", "#2ca02c", "#1f77b4", "#9467bd", "#d62728"];
const WAITING = "#ff7f0e";
const ASSIGNED = "#e6b800";
/** How long (simulated seconds) a drop-off or a loss stays visible. */
const FLASH_S = 90;
const SPEEDS = [10, 30, 60, 120, 300, 600];

interface Pane {
  run: string;
  episode: Episode;
  projection: MapProjection;
  background: HTMLCanvasElement;
  canvas: HTMLCanvasElement;
  onboard: Int32Array;
  counters: Record<keyof Counters, HTMLElement>;
  counterList: HTMLElement;
}

/** Width / height of the city's bounding box on the map. */
function aspect(map: CityMap): number {
  const p = new MapProjection(map, 1000, 1000, 0);
  let [x0, x1, y0, y1] = [Infinity, -Infinity, Infinity, -Infinity];
  for (let i = 0; i < p.nodeX.length; i++) {
    x0 = Math.min(x0, p.nodeX[i]);
    x1 = Math.max(x1, p.nodeX[i]);
    y0 = Math.min(y0, p.nodeY[i]);
    y1 = Math.max(y1, p.nodeY[i]);
  }
  return (x1 - x0) / (y1 - y0);
}

const COUNTERS: [keyof Counters, string][] = [
  ["requested", "requested"],
  ["served", "served"],
  ["waiting", "waiting"],
  ["lost", "lost"],
  ["riding", "riding"],
  ["delivered", "delivered"],
  ["meanPickupS", "mean pickup (s)"],
];

export function replayView(root: HTMLElement, runs: string[]): () => void {
  root.replaceChildren(h("p", { class: "muted" }, `loading ${runs.join(" and ")}…`));
  let stopped = false;
  let frame = 0;
  let onKey: ((e: KeyboardEvent) => void) | null = null;
  (async () => {
    const [map, list, ...files] = await Promise.all([city(), api.runs(), ...runs.map(api.events)]);
    if (stopped) return;
    const summaries = new Map(list.runs.map((r) => [r.id, r]));
    const dpr = window.devicePixelRatio || 1;
    const height = Math.max(420, Math.min(window.innerHeight - 230, 760));
    const width = Math.round(height * aspect(map)) + 16;
    const projection = new MapProjection(map, width, height);
    const background = drawBackground(projection, dpr);
    const panes: Pane[] = files.map((file, i) => {
      const episode = new Episode(file);
      const canvas = h("canvas", {
        id: `map-${i}`,
        width: width * dpr,
        height: height * dpr,
        style: `width:${width}px;height:${height}px`,
      });
      const counters = {} as Pane["counters"];
      const counterList = h("dl", { class: "counters" });
      for (const [key, label] of COUNTERS) {
        counters[key] = h("dd", { "data-counter": key }, "0");
        counterList.append(h("dt", {}, label), counters[key]);
      }
      const onboard = new Int32Array(episode.vehicleCount);
      return {
        run: runs[i],
        episode,
        projection,
        background,
        canvas,
        onboard,
        counters,
        counterList,
      };
    });
    const start = Math.min(...panes.map((p) => p.episode.start));
    const end = Math.max(...panes.map((p) => p.episode.end));
    let t = start;
    let playing = false;
    let speed = 60;
    let last = performance.now();

    const play = h("button", { id: "play" }, "▶ play");
    const speedSelect = h(
      "select",
      { id: "speed" },
      ...SPEEDS.map((s) => h("option", { value: s, selected: s === speed }, `${s}×`)),
    );
    const scrub = h("input", {
      id: "scrub",
      type: "range",
      min: start,
      max: end,
      step: "any",
      value: start,
    });
    const timeLabel = h("span", { id: "time", class: "time" }, clock(t));
    const setPlaying = (on: boolean) => {
      playing = on && t < end;
      play.textContent = playing ? "❚❚ pause" : "▶ play";
      last = performance.now();
    };
    play.addEventListener("click", () => {
      if (t >= end) t = start;
      setPlaying(!playing);
    });
    speedSelect.addEventListener("change", () => (speed = Number(speedSelect.value)));
    scrub.addEventListener("input", () => {
      t = Number(scrub.value);
      draw();
    });
    onKey = (e: KeyboardEvent) => {
      if (
        e.code === "Space" &&
        !(e.target instanceof HTMLInputElement || e.target instanceof HTMLSelectElement)
      ) {
        e.preventDefault();
        play.click();
      }
    };
    window.addEventListener("keydown", onKey);

    const legend = h(
      "div",
      { class: "legend" },
      ...OCCUPANCY_COLORS.map((c, i) =>
        h(
          "span",
          { class: "key" },
          h("i", { class: "dot", style: `background:${c}` }),
          i === 4 ? "4+ riders" : `${i} rider${i === 1 ? "" : "s"}`,
        ),
      ),
      h(
        "span",
        { class: "key" },
        h("i", { class: "ring", style: `border-color:${WAITING}` }),
        "order waiting",
      ),
      h(
        "span",
        { class: "key" },
        h("i", { class: "dot small", style: `background:${ASSIGNED}` }),
        "assigned, not picked up",
      ),
      h(
        "span",
        { class: "key" },
        h("i", { class: "ring", style: "border-color:#2ca02c" }),
        "dropped off",
      ),
      h("span", { class: "key lost" }, "×", " lost"),
    );
    root.replaceChildren(
      h(
        "div",
        { class: "toolbar" },
        h("h2", {}, runs.length === 2 ? "Replay · side by side" : "Replay"),
        play,
        h("label", {}, "speed ", speedSelect),
        scrub,
        timeLabel,
      ),
      legend,
      h(
        "div",
        { class: "panes" },
        ...panes.map((p, i) =>
          h(
            "section",
            { class: "pane", id: `pane-${i}`, "data-run": p.run },
            h("h3", {}, title(p.run, summaries.get(p.run))),
            p.counterList,
            p.canvas,
          ),
        ),
      ),
    );

    const pos = { a: 0, b: 0, f: 0 };
    /** Canvas positions of every vehicle of a pane at the current time (also for tests). */
    const vehiclePositions = (p: Pane): Float32Array => {
      const out = new Float32Array(p.episode.vehicleCount * 2);
      for (let v = 0; v < p.episode.vehicleCount; v++) {
        p.episode.vehicleAt(v, t, pos);
        if (pos.a < 0) continue;
        const { nodeX, nodeY } = p.projection;
        out[2 * v] = nodeX[pos.a] + (nodeX[pos.b] - nodeX[pos.a]) * pos.f;
        out[2 * v + 1] = nodeY[pos.a] + (nodeY[pos.b] - nodeY[pos.a]) * pos.f;
      }
      return out;
    };

    function drawPane(p: Pane) {
      const ctx = p.canvas.getContext("2d")!;
      ctx.setTransform(1, 0, 0, 1, 0, 0);
      ctx.drawImage(p.background, 0, 0);
      ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
      const { nodeX, nodeY } = p.projection;
      const ep = p.episode;
      const counts = ep.countersAt(t, p.onboard);
      ctx.lineWidth = 1.2;
      for (let o = 0; o < ep.orderCount; o++) {
        const state = ep.orderState(o, t);
        const pu = ep.pickupNode[o];
        if (state === OrderState.Waiting) {
          ctx.strokeStyle = WAITING;
          ctx.beginPath();
          ctx.arc(nodeX[pu], nodeY[pu], 3, 0, 2 * Math.PI);
          ctx.stroke();
        } else if (state === OrderState.Assigned) {
          ctx.fillStyle = ASSIGNED;
          ctx.fillRect(nodeX[pu] - 1.5, nodeY[pu] - 1.5, 3, 3);
        } else if (state === OrderState.Delivered && t - ep.dropoffTime[o] < FLASH_S) {
          const d = ep.dropoffNode[o];
          ctx.globalAlpha = 1 - (t - ep.dropoffTime[o]) / FLASH_S;
          ctx.strokeStyle = "#2ca02c";
          ctx.beginPath();
          ctx.arc(nodeX[d], nodeY[d], 5, 0, 2 * Math.PI);
          ctx.stroke();
          ctx.globalAlpha = 1;
        } else if (state === OrderState.Lost && t - ep.lostTime[o] < FLASH_S) {
          ctx.globalAlpha = 1 - (t - ep.lostTime[o]) / FLASH_S;
          ctx.strokeStyle = "#d62728";
          const x = nodeX[pu];
          const y = nodeY[pu];
          ctx.beginPath();
          ctx.moveTo(x - 3, y - 3);
          ctx.lineTo(x + 3, y + 3);
          ctx.moveTo(x + 3, y - 3);
          ctx.lineTo(x - 3, y + 3);
          ctx.stroke();
          ctx.globalAlpha = 1;
        }
      }
      const xy = vehiclePositions(p);
      ctx.strokeStyle = "rgba(0,0,0,0.55)";
      ctx.lineWidth = 0.6;
      for (let v = 0; v < ep.vehicleCount; v++) {
        ctx.fillStyle = OCCUPANCY_COLORS[Math.min(p.onboard[v], OCCUPANCY_COLORS.length - 1)];
        ctx.beginPath();
        ctx.arc(xy[2 * v], xy[2 * v + 1], 3.2, 0, 2 * Math.PI);
        ctx.fill();
        ctx.stroke();
      }
      for (const [key] of COUNTERS)
        p.counters[key].textContent =
          key === "meanPickupS" ? fmt(Number(counts[key].toFixed(1))) : String(counts[key]);
    }

    function draw() {
      timeLabel.textContent = clock(t);
      scrub.value = String(t);
      for (const p of panes) drawPane(p);
    }

    const loop = (now: number) => {
      if (stopped) return;
      if (playing) {
        t = Math.min(end, t + ((now - last) / 1000) * speed);
        if (t >= end) setPlaying(false);
        draw();
      }
      last = now;
      frame = requestAnimationFrame(loop);
    };
    draw();
    frame = requestAnimationFrame(loop);
    root.dataset.ready = "true";
    (window as unknown as { fleetrlReplay: unknown }).fleetrlReplay = {
      time: () => t,
      start,
      end,
      playing: () => playing,
      vehiclePositions: (i: number) => Array.from(vehiclePositions(panes[i])),
    };
  })().catch((err: Error) => {
    root.replaceChildren(h("p", { class: "error" }, `cannot replay: ${err.message}`));
  });
  return () => {
    stopped = true;
    cancelAnimationFrame(frame);
    if (onKey) window.removeEventListener("keydown", onKey);
  };
}

function title(run: string, s: RunSummary | undefined): string {
  const c = (s?.config ?? {}) as Record<string, unknown>;
  const parts = [
    c.dispatcher,
    c.vehicles !== undefined ? `${c.vehicles} vehicles` : null,
    c.seed !== undefined ? `seed ${c.seed}` : null,
  ].filter(Boolean);
  return `${run}${parts.length ? ` — ${parts.join(", ")}` : ""}`;
}
