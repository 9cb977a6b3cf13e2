/**
 * Learning curves from training logs (train.jsonl, eval.jsonl): per algorithm, the mean over its
 * seeds at each episode with a 95% CI band (one seed: the raw curve and a moving mean).
 */
import { meanCi95 } from "../core/stats.ts";
import { type LineSeries, lineChart } from "./line-chart.ts";
import type { TrainingLogs } from "./run-data.ts";
import type { LogRow } from "./run-files.ts";

export interface Curve {
  title: string;
  yLabel: string;
  log: "train" | "eval";
  value: (row: LogRow) => unknown;
}

const DISPATCH_CURVES: Curve[] = [
  {
    title: "Training episode reward (ε-greedy exploration, 95% sample of the window's trips)",
    yLabel: "episode reward",
    log: "train",
    value: (r) => r.reward,
  },
  {
    title: "Greedy evaluation reward (mean over the evaluation episodes)",
    yLabel: "episode reward",
    log: "eval",
    value: (r) => r.reward,
  },
  {
    title: "Orders served per training episode",
    yLabel: "orders served",
    log: "train",
    value: (r) => r["env.served"],
  },
  {
    title: "Mean pickup time per training episode",
    yLabel: "pickup time (s)",
    log: "train",
    value: (r) => r["env.meanPickupS"],
  },
  // what CleanRL-style trainers are watched by (means over the episode's minibatch updates)
];

/** Charts of the updates themselves, for any environment. */
export const DIAGNOSTIC_CURVES: Curve[] = [
  {
    title: "Policy entropy (mean over candidates)",
    yLabel: "entropy (nats)",
    log: "train",
    value: (r) => r.entropy,
  },
  {
    title: "Approximate KL to the behaviour policy",
    yLabel: "approx KL",
    log: "train",
    value: (r) => r.approxKl,
  },
  {
    title: "Clip fraction (ratio outside the clip range)",
    yLabel: "fraction of decisions",
    log: "train",
    value: (r) => r.clipFraction,
  },
  {
    title: "Critic explained variance (IPPO, MAPPO)",
    yLabel: "explained variance",
    log: "train",
    value: (r) => r.explainedVariance,
  },
  {
    title: "Rollout speed",
    yLabel: "decisions per second",
    log: "train",
    value: (r) => r.decisionsPerSecond,
  },
];

const CURVES: Curve[] = [...DISPATCH_CURVES, ...DIAGNOSTIC_CURVES];

/**
 * The learning-curve charts of a set of training runs (grouped by algorithm). `colorOf` gives an
 * algorithm's palette index, so it keeps one colour across a report's charts (default: order).
 * With more than two algorithms, CI bands drawn on top of each other read as one grey band: the
 * shared charts then draw the means only, and the greedy-evaluation reward follows as small
 * multiples, one chart per algorithm with its band.
 */
export function learningCurveCharts(
  runs: TrainingLogs[],
  colorOf: (algo: string, i: number) => number = (_, i) => i,
  width = 500,
  curves: Curve[] = CURVES,
): string[] {
  const algos = [...new Set(runs.map((r) => r.algo))];
  const crowded = algos.length > 2;
  const seriesOf = (curve: Curve, algo: string, i: number) =>
    curveSeries(
      algo,
      runs.filter((r) => r.algo === algo).map((r) => r[curve.log]),
      curve.value,
      colorOf(algo, i),
      curve.log === "train",
    );
  const chart = (title: string, curve: Curve, series: LineSeries[], w: number) =>
    series.every((s) => s.points.length === 0)
      ? []
      : [
          lineChart({
            title,
            xLabel: "episode",
            yLabel: curve.yLabel,
            series,
            integerX: true,
            width: w,
            height: w < width ? 220 : 280,
          }),
        ];
  const shared = curves.flatMap((curve) => {
    const series = algos.flatMap((algo, i) => seriesOf(curve, algo, i));
    return chart(
      curve.title,
      curve,
      crowded ? series.map(({ band: _band, ...line }) => line) : series,
      width,
    );
  });
  if (!crowded) return shared;
  const evalReward = curves.find((c) => c.log === "eval");
  if (!evalReward) return shared;
  const multiples = algos.flatMap((algo, i) =>
    chart(
      `${algo}: ${evalReward.title.replace(/ \(.*\)$/, "").toLowerCase()} (95% CI band)`,
      evalReward,
      seriesOf(evalReward, algo, i),
      Math.round(width / 2),
    ),
  );
  return [...shared, ...multiples];
}

/**
 * The series of one algorithm: with several seeds, the mean at each episode logged by every
 * seed that reached it, with its 95% CI band; with one seed, the raw values (faint, if long
 * enough to smooth) and a moving mean.
 */
export function curveSeries(
  name: string,
  logs: LogRow[][],
  value: (row: LogRow) => unknown,
  color: number,
  smooth: boolean,
): LineSeries[] {
  const byEpisode = new Map<number, number[]>();
  for (const rows of logs)
    for (const row of rows) {
      const v = value(row);
      if (typeof v !== "number" || !Number.isFinite(v)) continue;
      let list = byEpisode.get(row.episode);
      if (!list) byEpisode.set(row.episode, (list = []));
      list.push(v);
    }
  const episodes = [...byEpisode.keys()].sort((a, b) => a - b);
  const dots = episodes.length <= 60;
  if (logs.length > 1) {
    const stats = episodes.map((e) => [e, meanCi95(byEpisode.get(e) as number[])] as const);
    return [
      {
        name: `${name} (${logs.length} seeds)`,
        points: stats.map(([e, s]) => [e, s.mean]),
        band: stats.map(([e, s]) => [e, s.mean - s.half, s.mean + s.half]),
        color,
        dots,
      },
    ];
  }
  const points = episodes.map((e) => [e, (byEpisode.get(e) as number[])[0]] as [number, number]);
  const window = Math.round(points.length / 20);
  if (!smooth || window < 2) return [{ name, points, color, dots }];
  return [
    { name, points, color, faint: true },
    { name: `${name} (moving mean of ${window})`, points: movingMean(points, window), color },
  ];
}

/**
 * Trailing moving mean over `window` points (fewer at the start).
 * @example movingMean([[1, 0], [2, 2], [3, 4]], 2) // [[1, 0], [2, 1], [3, 3]]
 */
export function movingMean(points: [number, number][], window: number): [number, number][] {
  let sum = 0;
  return points.map(([x, y], i) => {
    sum += y;
    if (i >= window) sum -= points[i - window][1];
    return [x, sum / Math.min(i + 1, window)];
  });
}
