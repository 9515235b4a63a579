// The scales of a codebook as the marts name them: every section, dimension and sub-dimension with its name, its
// place in the tree and its answer scale. Read from the codebook (store.index), never from one questionnaire.
import type { CodebookIndex } from "./load.ts";
import type { Scale } from "./schema.ts";

export type ScaleLevel = "section" | "dimension" | "subdimension";

export interface ScaleInfo {
  level: ScaleLevel;
  code: string;
  name: string;
  section: string;
  /** The dimension a sub-dimension belongs to, a dimension's own code; null for a section. */
  dimension: string | null;
  /** "higher_is_better" or "higher_is_worse", from the section. */
  direction: "higher_is_better" | "higher_is_worse";
  /** The answer scale of the first Likert item under the code (a codebook keeps one scale per section). */
  scale: Scale;
}

/** Every scale with Likert items, keyed `${level}|${code}`, in codebook order. */
export function scaleInfos(index: CodebookIndex): Map<string, ScaleInfo> {
  const out = new Map<string, ScaleInfo>();
  const scaleUnder = (level: ScaleLevel, code: string): Scale | undefined => {
    const item = index.likert.find((q) => {
      const sd = index.subdimension.get(q.subdimension)!;
      return level === "subdimension"
        ? sd.code === code
        : level === "dimension"
          ? sd.dimension === code
          : sd.section === code;
    });
    return item ? index.scaleOf(item) : undefined;
  };
  const add = (info: Omit<ScaleInfo, "scale">) => {
    const scale = scaleUnder(info.level, info.code);
    if (scale) out.set(`${info.level}|${info.code}`, { ...info, scale });
  };
  for (const s of index.codebook.sections) {
    add({ level: "section", code: s.code, name: s.name, section: s.code, dimension: null, direction: s.direction });
    for (const d of s.dimensions) {
      add({
        level: "dimension",
        code: d.code,
        name: d.name,
        section: s.code,
        dimension: d.code,
        direction: s.direction
      });
      for (const sd of d.subdimensions)
        add({
          level: "subdimension",
          code: sd.code,
          name: sd.name,
          section: s.code,
          dimension: d.code,
          direction: s.direction
        });
    }
  }
  return out;
}

/** The codebook's sections as a tree of codes and names, for a page's inputs and labels. */
export function sectionTree(index: CodebookIndex) {
  return index.codebook.sections.map((s) => ({
    code: s.code,
    name: s.name,
    direction: s.direction,
    dimensions: s.dimensions.map((d) => ({
      code: d.code,
      name: d.name,
      summary: d.summary ?? null,
      subdimensions: d.subdimensions.map((sd) => ({ code: sd.code, name: sd.name }))
    }))
  }));
}

/** The survey waves that have accepted respondents, ascending. */
export function wavesOf(manifest: { files: { wave: number; accepted: number }[] }): number[] {
  return [...new Set(manifest.files.filter((f) => f.accepted > 0).map((f) => f.wave))].sort((a, b) => a - b);
}
