/**
 * Grid replay of a mapf episode (replay.json of `simulate --env mapf`, or of a trained policy
 * after `eval --env mapf`): the map, every robot (a dot in its colour) with the trail of its last
 * steps, the goal it holds (a square in its colour, joined by a faint line), goals flashing as
 * they are reached; play / pause / speed / scrub, and counters at the replayed step.
 */
import type { MapfReplayFile } from "../../src/envs/mapf/replay-file.ts";
import { api } from "./api.ts";
import { PALETTE } from "./chart.ts";
import { fmt, h } from "./dom.ts";

const SPEEDS = [2, 5, 10, 20, 50];
const TRAIL = 8;

/** Goals reached up to each step (t = 0 … recordedSteps). */
export function goalsUpTo(goalsPerStep: readonly number[]): number[] {
  const out = [0];
  for (const g of goalsPerStep) out.push(out[out.length - 1] + g);
  return out;
}

export function gridView(root: HTMLElement, run: string): () => void {
  root.replaceChildren(h("p", { class: "muted" }, `loading ${run}…`));
  let stopped = false;
  let frame = 0;
  (async () => {
    const r: MapfReplayFile = await api.replay(run);
    if (stopped) return;
    const n = r.agents;
    const T = r.recordedSteps;
    const { width: W, height: H, rows } = r.map;
    const dpr = window.devicePixelRatio || 1;
    const maxW = Math.min(window.innerWidth - 48, 1200);
    const maxH = Math.max(360, window.innerHeight - 220);
    const s = Math.max(2, Math.min(24, Math.floor(Math.min(maxW / W, maxH / H))));
    const canvas = h("canvas", {
      id: "grid",
      width: W * s * dpr,
      height: H * s * dpr,
      style: `width:${W * s}px;height:${H * s}px`,
    });
    const background = document.createElement("canvas");
    background.width = W * s * dpr;
    background.height = H * s * dpr;
    const bg = background.getContext("2d")!;
    bg.scale(dpr, dpr);
    bg.fillStyle = "#fbfbf8";
    bg.fillRect(0, 0, W * s, H * s);
    bg.fillStyle = "#4a4a4a";
    rows.forEach((row, y) => {
      for (let x = 0; x < W; x++) if (row[x] === "@") bg.fillRect(x * s, y * s, s, s);
    });
    const goals = goalsUpTo(r.goalsPerStep);
    let t = 0;
    let playing = false;
    let speed = 10;
    const play = h("button", { id: "play" }, "▶ play");
    const speedSelect = h(
      "select",
      { id: "speed" },
      ...SPEEDS.map((v) => h("option", { value: v, selected: v === speed }, `${v} steps/s`)),
    );
    const scrub = h("input", { id: "scrub", type: "range", min: 0, max: T, step: 1, value: 0 });
    const stepLabel = h("span", { id: "step", class: "clock" }, "");
    const counters = h("dl", { class: "counters" });
    const setPlaying = (on: boolean) => {
      playing = on && t < T;
      play.textContent = playing ? "❚❚ pause" : "▶ play";
    };
    play.addEventListener("click", () => {
      if (!playing && t >= T) t = 0;
      setPlaying(!playing);
    });
    speedSelect.addEventListener("change", () => (speed = Number(speedSelect.value)));
    scrub.addEventListener("input", () => {
      t = Number(scrub.value);
      draw();
    });
    root.replaceChildren(
      h(
        "div",
        { class: "toolbar" },
        h("h2", {}, `Grid replay · ${run}`),
        play,
        h("label", {}, "speed ", speedSelect),
        scrub,
        stepLabel,
      ),
      h(
        "p",
        { class: "muted" },
        `${r.dispatcher} on ${r.map.name} (${W} × ${H}), ${n} robots, seed ${r.seed}` +
          (T < r.steps ? ` — the first ${T} of ${r.steps} steps recorded` : "") +
          ". Dots: robots with their last steps; squares: the goal each holds.",
      ),
      h("section", { class: "pane", id: "grid-pane" }, counters, canvas),
    );
    const centre = (c: number): [number, number] => [
      (c % W) * s + s / 2,
      Math.floor(c / W) * s + s / 2,
    ];

    function draw() {
      const step = Math.min(T, Math.floor(t));
      const ctx = canvas.getContext("2d")!;
      ctx.setTransform(1, 0, 0, 1, 0, 0);
      ctx.drawImage(background, 0, 0);
      ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
      for (let i = 0; i < n; i++) {
        const color = PALETTE[i % PALETTE.length];
        ctx.strokeStyle = color;
        ctx.fillStyle = color;
        const [x, y] = centre(r.positions[step * n + i]);
        const [gx, gy] = centre(r.goals[step * n + i]);
        ctx.globalAlpha = 0.35;
        ctx.lineWidth = 1;
        ctx.beginPath();
        ctx.moveTo(x, y);
        ctx.lineTo(gx, gy);
        ctx.stroke();
        ctx.globalAlpha = 0.7;
        ctx.lineWidth = Math.max(1, s * 0.25);
        ctx.beginPath();
        for (let k = Math.max(0, step - TRAIL); k <= step; k++) {
          const [px, py] = centre(r.positions[k * n + i]);
          if (k === Math.max(0, step - TRAIL)) ctx.moveTo(px, py);
          else ctx.lineTo(px, py);
        }
        ctx.stroke();
        ctx.globalAlpha = 1;
        ctx.lineWidth = 1.5;
        ctx.strokeRect(gx - s * 0.4, gy - s * 0.4, s * 0.8, s * 0.8);
        // a goal reached on this step: a ring where it was
        if (step > 0 && r.goals[step * n + i] !== r.goals[(step - 1) * n + i]) {
          ctx.beginPath();
          ctx.arc(x, y, s * 0.8, 0, 2 * Math.PI);
          ctx.stroke();
        }
        ctx.beginPath();
        ctx.arc(x, y, Math.max(1.5, s * 0.42), 0, 2 * Math.PI);
        ctx.fill();
      }
      stepLabel.textContent = `step ${step} / ${T}`;
      const values: [string, string, string][] = [
        ["step", "step", String(step)],
        ["goals", "goals reached", String(goals[step])],
        ["throughput", "throughput so far", step > 0 ? fmt(goals[step] / step) : "–"],
      ];
      counters.replaceChildren(
        ...values.flatMap(([key, label, v]) => [
          h("dt", {}, label),
          h("dd", { "data-counter": key }, v),
        ]),
      );
      scrub.value = String(step);
    }

    let last = performance.now();
    const loop = (now: number) => {
      if (stopped) return;
      if (playing) {
        t = Math.min(T, t + ((now - last) / 1000) * speed);
        if (t >= T) setPlaying(false);
        draw();
      }
      last = now;
      frame = requestAnimationFrame(loop);
    };
    draw();
    frame = requestAnimationFrame(loop);
    root.dataset.ready = "true";
    (window as unknown as { fleetrlGrid: unknown }).fleetrlGrid = {
      step: () => Math.min(T, Math.floor(t)),
      steps: T,
      goals: () => goals[Math.min(T, Math.floor(t))],
      /** Canvas centre (css px) of robot i at the current step. */
      robot: (i: number) => centre(r.positions[Math.min(T, Math.floor(t)) * n + i]),
      playing: () => playing,
    };
  })().catch((err: Error) => {
    root.replaceChildren(h("p", { class: "error" }, `cannot replay: ${err.message}`));
    root.dataset.ready = "true";
  });
  return () => {
    stopped = true;
    cancelAnimationFrame(frame);
  };
}
