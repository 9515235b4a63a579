// The unit report beside Framework (pipeline/site/unit-reports.ts), on a stand-in build: every unit's data file lands
// where the page fetches it and where the disclosure audit finds it (audit.ts · publishedDataFiles, path
// units/<code>.json, read with the other published files), every unit's address is the one template, the template's own
// address is gone, and a unit code that would overwrite a page of the site stops the build.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { publishedDataFiles } from "../../pipeline/publish/audit.ts";
import { UNIT_DATA_DIR, UNIT_TEMPLATE_PATH, writeUnitReports } from "../../pipeline/site/unit-reports.ts";

let build: string;
const template = "<!doctype html><title>单位</title><script src=\"../_observablehq/client.js\"></script>";

beforeEach(() => {
  build = mkdtempSync(join(tmpdir(), "yipanqi-unit-reports-"));
  mkdirSync(join(build, "units"));
  writeFileSync(join(build, `${UNIT_TEMPLATE_PATH.slice(1)}.html`), template);
  writeFileSync(join(build, "units", "index.html"), "<!doctype html><title>各单位</title>");
  mkdirSync(join(build, "_file", "data"), { recursive: true });
  writeFileSync(join(build, "_file", "data", "units-index.0123abcd.json"), "{}");
});

afterEach(() => rmSync(build, { recursive: true, force: true }));

describe("writing the unit reports into a build", () => {
  it("gives every unit its data file and its address, and removes the template's own", async () => {
    const files: [string, string][] = [
      ["U001", '{"unit":{"code":"U001"}}'],
      ["U002", '{"unit":{"code":"U002"}}']
    ];
    const written = await writeUnitReports(build, files);
    expect(written).toMatchObject({ units: 2, bytes: files.reduce((s, [, t]) => s + t.length, 0) });
    expect(written.linked + written.copied).toBe(2);
    for (const [code, text] of files) {
      expect(readFileSync(join(build, UNIT_DATA_DIR, `${code}.json`), "utf8")).toBe(text);
      expect(readFileSync(join(build, "units", `${code}.html`), "utf8")).toBe(template);
    }
    expect(existsSync(join(build, "units", "_template.html"))).toBe(false);
    if (written.linked === 2) expect(statSync(join(build, "units", "U001.html")).nlink).toBe(2);
    // The audit reads them at their place, by the unit contract's route, beside Framework's hashed files.
    expect(
      publishedDataFiles(build)
        .map((f) => f.path)
        .sort()
    ).toEqual(["units-index.json", "units/U001.json", "units/U002.json"]);
  });

  it("refuses a unit code that is already a page of the site, and a build without the template", async () => {
    await expect(writeUnitReports(build, [["index", "{}"]])).rejects.toThrow(/units\/index\.html 重名/);
    expect(readFileSync(join(build, "units", "index.html"), "utf8")).toContain("各单位");
    rmSync(join(build, "units", "_template.html"), { force: true });
    await expect(writeUnitReports(build, [["U001", "{}"]])).rejects.toThrow(/没有单位页面模板/);
  });
});
