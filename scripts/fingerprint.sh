#!/usr/bin/env bash
# Behaviour fingerprint of a source tree: a short OSPO and MAPPO training (with evaluation), an
# eval and a simulate with a policy and with a dispatcher, all seeded; prints one sha256 per
# output file with wall-clock fields (…Seconds, elapsed, start times) removed. Two trees that
# print the same lines behave the same. Used to check that a refactor changed no result:
#   bash scripts/fingerprint.sh /path/to/old-tree > old.txt
#   bash scripts/fingerprint.sh . > new.txt && diff old.txt new.txt
set -euo pipefail
tree="$(cd "${1:-.}" && pwd)"
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
cd "$tree"
run() { npx fleetrl "$@" > /dev/null 2>&1 || { echo "failed: fleetrl $*" >&2; exit 1; }; }
small=(--vehicles 100 --epochs 5 --seed 3)
run train --algo ospo --episodes 2 --eval-every 1 "${small[@]}" --out "$out/ospo"
run train --algo mappo --episodes 2 --eval-every 1 "${small[@]}" --out "$out/mappo"
run train --scenario ospo-paper --algo grpo --episodes 1 --eval-every 1 --vehicles 200 --epochs 5 --seed 4 --out "$out/grpo-paper"
run eval --checkpoint "$out/ospo/best.safetensors" --hours 1 --seeds 2 --baselines min-eta # writes ospo/evaluation.json
run simulate --dispatcher "policy:$out/mappo/checkpoint.safetensors" "${small[@]}" --out "$out/sim-policy"
run simulate --dispatcher max-reward "${small[@]}" --out "$out/sim-max-reward"
cd "$out"
find . -type f ! -name run.lock | sort | while read -r f; do
  case "$f" in
    *.json | *.jsonl) node -e '
      const fs = require("node:fs");
      const clock = /seconds$|persecond$|^elapsed|started|^wall|^created|duration/i;
      const strip = (v) => Array.isArray(v) ? v.map(strip) : v && typeof v === "object"
        ? Object.fromEntries(Object.entries(v).filter(([k]) => !clock.test(k)).map(([k, x]) => [k, strip(x)]))
        : typeof v === "string" ? v.replaceAll(process.argv[2], "<out>") : v;
      const text = fs.readFileSync(process.argv[1], "utf8");
      const rows = process.argv[1].endsWith(".jsonl") ? text.trim().split("\n") : [text];
      process.stdout.write(rows.map((r) => JSON.stringify(strip(JSON.parse(r)))).join("\n"));
      ' "$f" "$out" | sha256sum | sed "s#-#$f#" ;;
    *.csv) ;; # the .jsonl rows again, with the clock columns
    *) sha256sum "$f" ;;
  esac
done
