/**
 * fleetrl dashboard: three views behind hash routes, so any view can be bookmarked or linked —
 *   #/runs                     the runs folder
 *   #/curves?runs=a,b          learning curves of training runs (live)
 *   #/replay?runs=a[,b]        map replay of one simulated episode, or two side by side
 *   #/grid?runs=a              grid replay of a mapf episode (replay.json)
 */
import { curvesView } from "./curves-view.ts";
import { h } from "./dom.ts";
import { gridView } from "./grid-view.ts";
import { replayView } from "./replay-view.ts";
import { runsView } from "./runs-view.ts";
import "./style.css";

const main = document.getElementById("view")!;
let leave: () => void = () => {};

function route() {
  leave();
  const [path, query = ""] = location.hash.replace(/^#/, "").split("?");
  const runs = (new URLSearchParams(query).get("runs") ?? "")
    .split(",")
    .filter((r) => r.length > 0);
  for (const a of document.querySelectorAll("nav a")) {
    a.classList.toggle("active", a.getAttribute("href") === `#${path || "/runs"}`);
  }
  main.replaceChildren();
  delete main.dataset.ready;
  if (path === "/curves" && runs.length > 0) leave = curvesView(main, runs);
  else if (path === "/replay" && runs.length > 0) leave = replayView(main, runs.slice(0, 2));
  else if (path === "/grid" && runs.length > 0) leave = gridView(main, runs[0]);
  else if (path === "/curves" || path === "/replay" || path === "/grid") {
    main.append(
      h(
        "p",
        { class: "muted" },
        `Select ${path === "/curves" ? "training runs" : path === "/grid" ? "one mapf run with a replay" : "one or two simulation runs"} in `,
        h("a", { href: "#/runs" }, "Runs"),
        " first.",
      ),
    );
    leave = () => {};
  } else leave = runsView(main);
}

window.addEventListener("hashchange", route);
route();
