// A compact Node test reporter for terminals: one character per test ("." pass, "X" fail,
// "s" skip), then each failure in full, then the run's summary as TAP prints it ("# tests N",
// "# pass N", "# fail N", …) — the last lines, which CI and people read.
import { inspect } from "node:util";

export default async function* compact(source) {
  const failures = [];
  const summary = [];
  let column = 0;
  for await (const event of source) {
    const { type, data } = event;
    if (type === "test:pass" || type === "test:fail") {
      const mark = type === "test:fail" ? "X" : data.skip || data.todo ? "s" : ".";
      if (type === "test:fail" && data.details?.error?.failureType !== "subtestsFailed")
        failures.push(data);
      yield mark;
      if (++column % 80 === 0) yield "\n";
    } else if (type === "test:diagnostic" && data.nesting === 0 && !data.file) {
      summary.push(`# ${data.message}`);
    }
  }
  yield "\n";
  for (const f of failures) {
    const error = f.details?.error;
    const shown = error?.cause ?? error;
    yield `\nnot ok - ${f.name} (${f.file ?? "?"}:${f.line ?? "?"})\n${inspect(shown, { depth: 3 })}\n`;
  }
  if (summary.length > 0) yield `\n${summary.join("\n")}\n`;
}
