// What a loader writes: JSON on stdout, floats rounded to 4 decimals (more is noise for a report, and bytes for a leader).
export function toJson(value: unknown): string {
  return JSON.stringify(value, (_key, v) =>
    typeof v === "number" && !Number.isInteger(v) ? Math.round(v * 1e4) / 1e4 : v
  );
}

export function writeJson(value: unknown): void {
  process.stdout.write(toJson(value));
}
