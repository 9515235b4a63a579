// The one way a loader writes a file for the site: the value is parsed with the file's contract (files.ts) first,
// so a file that does not match its schema — a field too many, a hidden row that still carries a figure — fails
// the loader, and with it the build, before anything is published. The build then audits all files together
// (audit.ts, run by pipeline/site/build.ts).
import { z } from "zod";
import { tarArchive } from "./archive.ts";
import { toArrowStream, type ArrowTableSpec } from "./arrow.ts";
import { toJson } from "./json.ts";
import { ContractError, publishedFileByRoute, wholeFileSchema } from "./files.ts";

function validated<T>(route: string, schema: z.ZodType, value: T, what = route): T {
  const result = schema.safeParse(value);
  if (!result.success) {
    const problems = result.error.issues.slice(0, 5).map((i) => `${i.path.join(".") || "(根)"}: ${i.message}`);
    throw new ContractError(`${what} 不符合其数据契约（pipeline/publish/files.ts · ${route}）：${problems.join("；")}`);
  }
  return value;
}

/** The JSON text of a value for `route`, after checking it against the route's contract. */
export function publishedJson(route: string, value: unknown): string {
  const file = publishedFileByRoute(route);
  if (file.format !== "json") throw new Error(`${route} is not a JSON file`);
  return toJson(validated(route, file.schema, value));
}

/** Writes a JSON file for the site (a Framework data loader's stdout). */
export function publishJson(route: string, value: unknown): void {
  process.stdout.write(publishedJson(route, value));
}

/** The Arrow IPC stream of a table for `route`, after checking every row against the route's row contract. */
export function publishedArrow(route: string, spec: ArrowTableSpec): Uint8Array {
  const file = publishedFileByRoute(route);
  if (file.format !== "arrow") throw new Error(`${route} is not an Arrow file`);
  validated(route, wholeFileSchema(file), spec.rows);
  return toArrowStream(spec);
}

/** Writes an Arrow IPC stream for the site; every row must match the route's row contract. */
export function publishArrow(route: string, spec: ArrowTableSpec): void {
  process.stdout.write(publishedArrow(route, spec));
}

/**
 * Writes a tarball of JSON files for the site (Framework extracts each member on demand): `route` names the members'
 * contract, e.g. `units/[unit].json` for the members of src/data/units.tar.ts.
 */
export function publishJsonArchive(route: string, files: { name: string; value: unknown }[]): void {
  const file = publishedFileByRoute(route);
  const entries = files.map((f) => ({ name: f.name, content: toJson(validated(route, file.schema, f.value, f.name)) }));
  process.stdout.write(tarArchive(entries));
}
