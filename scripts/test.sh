#!/bin/sh
# Every test under test/. In a terminal: dots (failures in full at the end) and the summary lines;
# otherwise (CI, pipes) the full TAP stream, whose last lines are the same summary.
files=$(find test -name '*.test.ts' | sort)
if [ -t 1 ]; then
  exec tsx --test --test-concurrency=2 \
    --test-reporter=./scripts/compact-reporter.mjs --test-reporter-destination=stdout $files
fi
exec tsx --test --test-concurrency=2 $files
