#!/usr/bin/env bash
# The SAPO study (docs/results.md, "Swarm training with shared experience"): 4 `fleetrl swarm`
# nodes on ospo-paper learning alone (I = 2 own episodes per update, J = 0) against 4 sharing
# (I = 1 own + J = 1 another node's), both swarms at once on one local redis-server, the same
# number of updates and episodes learned from per update. Then every node's final policy on the
# held-out hours 1, 22, 23 and the tables.
#
#   bash bench/sapo-study.sh [UPDATES=32] [OUT=runs/sapo]
#
# Per update, ε and the learning rate are the same in both conditions: ε `auto` is set by the
# episode budget (2U played alone, U sharing), and the lr decays ×0.99 per update in both
# (lrDecay 0.99^(1/2) per episode played alone).
set -euo pipefail
updates=${1:-32}
out=${2:-runs/sapo}
mkdir -p "$out"
port=$(node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')
redis-server --port "$port" --bind 127.0.0.1 --save '' --appendonly no --daemonize yes \
  --pidfile "$PWD/$out/redis.pid" --logfile "$PWD/$out/redis.log"
trap 'kill "$(cat "$out/redis.pid")" 2>/dev/null || true' EXIT
url="redis://127.0.0.1:$port"
printf 'train:\n  lrDecay: %s\n' "$(node -e 'console.log(Math.sqrt(0.99))')" > "$out/alone.yaml"
printf 'train:\n  lrDecay: 0.99\n' > "$out/sharing.yaml"
every=$((updates / 4))
pids=()
for s in 1 2 3 4; do
  npx fleetrl swarm --redis "$url" --swarm sapo-alone --node "n$s" --scenario ospo-paper --algo grpo \
    --config "$out/alone.yaml" --rollouts 2 --shared 0 --episodes $((2 * updates)) \
    --eval-every $((2 * every)) --seed "$s" --out "$out/alone-$s" > "$out/alone-$s.log" 2>&1 &
  pids+=($!)
  npx fleetrl swarm --redis "$url" --swarm sapo-sharing --node "n$s" --scenario ospo-paper --algo grpo \
    --config "$out/sharing.yaml" --rollouts 1 --shared 1 --episodes "$updates" \
    --eval-every "$every" --seed "$s" --out "$out/sharing-$s" > "$out/sharing-$s.log" 2>&1 &
  pids+=($!)
done
for p in "${pids[@]}"; do wait "$p"; done
for c in alone sharing; do
  for s in 1 2 3 4; do
    npx fleetrl eval --scenario ospo-paper --checkpoint "$out/$c-$s/checkpoint.safetensors" \
      --hours 1,22,23 --seeds 1 --baselines '' > "$out/$c-$s-heldout.log" 2>&1
  done
done
list() { echo "$out/$1-1,$out/$1-2,$out/$1-3,$out/$1-4"; }
npx tsx bench/sapo-table.ts --every "$every" "alone (I=2, J=0)=$(list alone)" "sharing (I=1, J=1)=$(list sharing)"
npx tsx bench/heldout-table.ts "alone, I 2 J 0=$(list alone)" "sharing, I 1 J 1=$(list sharing)"
