// The bench's figures, judged against their targets, and the Markdown table of bench/results/latest.md.
import { fmt } from "./measure.ts";

export type Status = "met" | "missed" | "failed" | "info";

export interface Figure {
  /** 10k, 100k, 1M, 10M */
  size: string;
  figure: string;
  /** the measured value as printed */
  value: string;
  /** the measured number, in `unit` */
  number: number | null;
  unit: string;
  target: string;
  status: Status;
  /** by how much the target is met or missed */
  by: string;
  /** why, when missed or failed (profile, cause) */
  note?: string;
}

export interface Target {
  /** at most (`max`) or at least (`min`) */
  kind: "max" | "min";
  limit: number;
  /** how the limit is printed, e.g. "< 60 s" */
  label: string;
  /** how a value of this unit prints */
  format: (x: number) => string;
  /** whether the difference from the limit means something in this unit (seconds, bytes: yes; a ratio: no) */
  absolute?: boolean;
}

/** Met or missed, and by how much: a factor when far off, a share when close, and the difference in the unit. */
export function judge(value: number, target: Target): { status: Status; by: string } {
  const absolute = target.absolute ?? true;
  const diff = (x: number) =>
    absolute ? ` (${target.format(x)}${target.kind === "max" && value > target.limit ? " over" : ""})` : "";
  if (target.kind === "max") {
    if (value <= target.limit)
      return {
        status: "met",
        by: `${fmt.pct(1 - value / target.limit)} under${absolute ? ` (${target.format(target.limit - value)} to spare)` : ""}`
      };
    const factor = value / target.limit;
    return {
      status: "missed",
      by:
        factor >= 2
          ? `${fmt.ratio(factor)} the limit${diff(value - target.limit)}`
          : `${fmt.pct(factor - 1)} over${absolute ? ` (${target.format(value - target.limit)})` : ""}`
    };
  }
  if (value >= target.limit) return { status: "met", by: `${fmt.pct(value / target.limit - 1)} above` };
  const factor = target.limit / value;
  return {
    status: "missed",
    by:
      factor >= 2
        ? `${fmt.ratio(factor)} short (${target.format(value)} of ${target.format(target.limit)})`
        : `${fmt.pct(1 - value / target.limit)} short`
  };
}

export function figure(
  size: string,
  name: string,
  value: number | null,
  unit: string,
  format: (x: number) => string,
  target?: Target,
  note?: string
): Figure {
  if (value === null || !Number.isFinite(value))
    return {
      size,
      figure: name,
      value: "—",
      number: null,
      unit,
      target: target?.label ?? "",
      status: target ? "failed" : "info",
      by: target ? "not measured" : "",
      note
    };
  if (!target)
    return { size, figure: name, value: format(value), number: value, unit, target: "", status: "info", by: "", note };
  return {
    size,
    figure: name,
    value: format(value),
    number: value,
    unit,
    target: target.label,
    ...judge(value, target),
    note
  };
}

export function failed(size: string, name: string, why: string, target = ""): Figure {
  return {
    size,
    figure: name,
    value: "failed",
    number: null,
    unit: "",
    target,
    status: "failed",
    by: "did not complete",
    note: why
  };
}

const STATUS_LABEL: Record<Status, string> = { met: "met", missed: "**missed**", failed: "**failed**", info: "" };

const cell = (s: string) => s.replace(/\|/g, "\\|").replace(/\n/g, " ");

/** The table: a judged row says by how much; a row without a target carries its note (what the value is made of). */
export function markdownTable(figures: readonly Figure[]): string {
  const head = "| size | figure | value | target | met / missed | by how much · notes |\n|---|---|--:|---|---|---|";
  const rows = figures.map(
    (f) =>
      `| ${f.size} | ${cell(f.figure)} | ${cell(f.value)} | ${cell(f.target)} | ${STATUS_LABEL[f.status]} | ${cell(f.status === "info" ? (f.note ?? "") : f.by)} |`
  );
  return [head, ...rows].join("\n");
}

/** The rows that missed or failed, with their notes, as a Markdown list. */
export function missedList(figures: readonly Figure[]): string {
  return figures
    .filter((f) => (f.status === "missed" || f.status === "failed") && f.note)
    .map((f) => `- **${f.size} · ${f.figure}** (${f.value}, target ${f.target}): ${f.note}`)
    .join("\n");
}

/** Plain-text table for the terminal: the same columns, padded. */
export function textTable(figures: readonly Figure[]): string {
  const rows = [
    ["size", "figure", "value", "target", "status", "by how much"],
    ...figures.map((f) => [f.size, f.figure, f.value, f.target, f.status === "info" ? "" : f.status, f.by])
  ];
  const width = (s: string) => [...s].reduce((w, ch) => w + (/[\u1100-\uffff]/.test(ch) ? 2 : 1), 0);
  const widths = rows[0].map((_, i) => Math.min(60, Math.max(...rows.map((r) => width(r[i])))));
  return rows
    .map((r) =>
      r
        .map((c, i) => c + " ".repeat(Math.max(0, widths[i] - width(c))))
        .join("  ")
        .trimEnd()
    )
    .join("\n");
}
