#!/usr/bin/env bash
# The policy-lag study (docs/results.md, "Playing ahead: a policy lag"): GRPO on ospo-paper with
# 2 episodes per update and 2 rollout workers, policy lag 0 (synchronous) against 1 (the worker
# thread plays the next update's episodes while this one learns), 3 seeds each, one run at a time
# so that the wall-clock times compare. Then every run's final policy on the held-out hours
# 1, 22, 23 and the tables. The settings are the SAPO study's "alone" condition (bench/sapo-study.sh).
#
#   bash bench/policy-lag-study.sh [UPDATES=32] [OUT=runs/policy-lag]
set -euo pipefail
updates=${1:-32}
out=${2:-runs/policy-lag}
mkdir -p "$out"
printf 'train:\n  lrDecay: %s\n' "$(node -e 'console.log(Math.sqrt(0.99))')" > "$out/config.yaml"
every=$((updates / 4))
for s in 1 2 3; do
  for lag in 0 1; do
    start=$(date +%s)
    npx fleetrl train --scenario ospo-paper --algo grpo --config "$out/config.yaml" \
      --rollouts 2 --workers 2 --policy-lag "$lag" --episodes $((2 * updates)) \
      --eval-every $((2 * every)) --seed "$s" --out "$out/lag$lag-$s" > "$out/lag$lag-$s.log" 2>&1
    echo "lag $lag seed $s: $(($(date +%s) - start)) s" | tee -a "$out/times.txt"
  done
done
for lag in 0 1; do
  for s in 1 2 3; do
    npx fleetrl eval --scenario ospo-paper --checkpoint "$out/lag$lag-$s/checkpoint.safetensors" \
      --hours 1,22,23 --seeds 1 --baselines '' > "$out/lag$lag-$s-heldout.log" 2>&1
  done
done
list() { echo "$out/lag$1-1,$out/lag$1-2,$out/lag$1-3"; }
npx tsx bench/sapo-table.ts --every "$every" "policy lag 0=$(list 0)" "policy lag 1=$(list 1)"
npx tsx bench/heldout-table.ts "policy lag 0=$(list 0)" "policy lag 1=$(list 1)"
