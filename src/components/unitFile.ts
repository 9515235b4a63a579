// The unit report is one page (src/units/[unit].md) for every unit: it reads the unit's code from its own address and
// fetches that unit's data file itself, so the built site has one template and one small JSON per unit instead of a
// Framework page per unit (docs/scale.md, "The unit report at province scale").
// - The address: /units/U001, /units/U001.html, or /units/…?u=U001 (the query wins).
// - The data file: ../_file/data/units/<code>.json beside the page, in the preview as well as in a build: the preview
//   server extracts it from the archive loader src/data/units.tar.ts, the build writes it after `observable build`
//   (pipeline/site/unit-reports.ts), unhashed, through the unit contract (pipeline/contracts/units.ts · UnitPageSchema).
import type { UnitPage } from "../../pipeline/contracts/units.ts";

/** A unit code as the roster allows it (pipeline/codebook/schema.ts): letters, digits and _, starting with a letter. */
const UNIT_CODE = /^[A-Za-z][A-Za-z0-9_]*$/;

/** The unit code an address names (?u=… first, else the last path segment without .html), or null if none is valid. */
export function unitCodeOf(address: { pathname: string; search: string }): string | null {
  const query = new URLSearchParams(address.search).get("u");
  let last: string;
  try {
    last = decodeURIComponent(address.pathname.split("/").pop() ?? "");
  } catch {
    last = "";
  }
  const code = (query ?? last.replace(/\.html$/, "")).trim();
  return UNIT_CODE.test(code) ? code : null;
}

/** The address of a unit's data file, relative to the unit page (same depth in the preview and in a build). */
export function unitFileUrl(code: string, page: string | URL): URL {
  return new URL(`../_file/data/units/${encodeURIComponent(code)}.json`, page);
}

/** What loading a unit page's data gave: the unit's file, or why there is none. */
export type UnitLoad =
  | { code: string; page: UnitPage; problem: null }
  | { code: string | null; page: null; problem: "missing" | "unreadable" };

/**
 * The data of the unit the page's address names, through the page's `fetchFile` (components never fetch by
 * themselves: the page passes `fetch`). Never throws: an address without a valid code or a code with no file (404) is
 * "missing"; a network error, another status or a file that is not this unit's page is "unreadable".
 */
export async function loadUnitPage(
  address: { href: string; pathname: string; search: string },
  fetchFile: (url: URL) => Promise<Response>
): Promise<UnitLoad> {
  const code = unitCodeOf(address);
  if (code === null) return { code: null, page: null, problem: "missing" };
  let response: Response;
  try {
    response = await fetchFile(unitFileUrl(code, address.href));
  } catch {
    return { code, page: null, problem: "unreadable" };
  }
  if (response.status === 404) return { code, page: null, problem: "missing" };
  if (!response.ok) return { code, page: null, problem: "unreadable" };
  try {
    const page = (await response.json()) as UnitPage;
    if (page?.unit?.code !== code || !Array.isArray(page.scales)) return { code, page: null, problem: "unreadable" };
    return { code, page, problem: null };
  } catch {
    return { code, page: null, problem: "unreadable" };
  }
}

/**
 * A CSS string literal, as pipeline/site/running-head.ts cssString writes it (the page sets the printed running head
 * from the unit's name at run time: the template's head, built once, cannot know it).
 */
export function cssString(text: string): string {
  return `"${text.replace(/[\\"<>\n\r]/g, (c) => `\\${c.charCodeAt(0).toString(16)} `)}"`;
}

/** The printed running head's page title of a unit page, as the navigation would title it. */
export function unitPrintTitle(name: string): string {
  return `各单位 · ${name}`;
}
