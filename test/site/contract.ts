// The data contract of a section page (原因剖析, 工作成效, 存在问题): the rows a page works with, i.e. what
// src/data/sections/[section]-{meta,scores,items}.json.ts write once read back by src/components/sectionData.ts
// (expandSection); the hand-written fixtures in test/fixtures/site have this row shape directly.
// Returns a list of problems (empty = conforms), each naming the file, the row and the field.
// Extra fields are allowed (a loader may add some); missing or mistyped ones are not.

type Json = Record<string, unknown>;

const isInt = (v: unknown) => Number.isInteger(v);
const isNum = (v: unknown) => typeof v === "number" && Number.isFinite(v);
const isStr = (v: unknown) => typeof v === "string" && v.length > 0;

export function checkCausesContract(meta: Json, scores: Json[], items: Json[]): string[] {
  const problems: string[] = [];
  const need = (ok: boolean, where: string, what: string) => ok || problems.push(`${where}: ${what}`);

  // causes-meta.json
  const m = "causes-meta.json";
  const codebook = meta.codebook as Json | undefined;
  need(!!codebook && isStr(codebook.id) && isStr(codebook.version) && isStr(codebook.title), m, "codebook {id, version, title}");
  need(isInt(meta.minGroupSize) && (meta.minGroupSize as number) >= 1, m, "minGroupSize: a positive integer");
  const waves = meta.waves as unknown[];
  need(Array.isArray(waves) && waves.length > 0 && waves.every(isInt), m, "waves: non-empty array of integers");
  need(Array.isArray(waves) && waves.every((w, i) => i === 0 || (w as number) > (waves[i - 1] as number)), m, "waves: ascending");
  const scale = meta.scale as Json | undefined;
  need(
    !!scale && isInt(scale.min) && isInt(scale.max) && Array.isArray(scale.labels) &&
      (scale.labels as unknown[]).length === (scale.max as number) - (scale.min as number) + 1 && isInt(scale.agreeFrom),
    m,
    "scale {min, max, labels (one per score), agreeFrom}"
  );
  const section = meta.section as Json | undefined;
  need(!!section && isStr(section.code) && isStr(section.name) && ["higher_is_better", "higher_is_worse"].includes(section.direction as string), m, "section {code, name, direction}");
  const dims = (meta.dimensions ?? []) as Json[];
  need(Array.isArray(meta.dimensions) && dims.length > 0, m, "dimensions: non-empty array");
  dims.forEach((d, i) => {
    need(isStr(d.code) && isStr(d.name) && typeof d.summary === "string", `${m} dimensions[${i}]`, "{code, name, summary}");
    need(Array.isArray(d.subdimensions) && (d.subdimensions as Json[]).every((s) => isStr(s.code) && isStr(s.name)), `${m} dimensions[${i}]`, "subdimensions [{code, name}]");
  });
  const groupings = (meta.groupings ?? []) as Json[];
  need(Array.isArray(meta.groupings) && groupings[0]?.key === "all" && (groupings[0]?.groups as unknown[])?.length === 1, m, "groupings: first is {key: all, groups: [one group]}");
  groupings.forEach((g, i) => need(isStr(g.key) && isStr(g.name) && Array.isArray(g.groups) && (g.groups as unknown[]).every(isStr), `${m} groupings[${i}]`, "{key, name, groups}"));
  need(typeof meta.refreshedAt === "string" && !Number.isNaN(Date.parse(meta.refreshedAt as string)), m, "refreshedAt: an ISO date");

  const dimCodes = new Set(dims.map((d) => d.code));
  const subCodes = new Set(dims.flatMap((d) => ((d.subdimensions ?? []) as Json[]).map((s) => s.code)));
  const groupsOf = new Map(groupings.map((g) => [g.key, new Set(g.groups as string[])]));
  const minN = meta.minGroupSize as number;

  // causes-scores.json
  const STATS = ["n", "mean", "sd", "ciLow", "ciHigh", "index", "agreeShare", "agreeLow", "agreeHigh"];
  need(Array.isArray(scores), "causes-scores.json", "an array");
  const seen = new Set<string>();
  scores.forEach((r, i) => {
    const w = `causes-scores.json[${i}]`;
    need(waves.includes(r.wave), w, `wave ${r.wave} not in meta.waves`);
    need(groupsOf.get(r.grouping as string)?.has(r.group as string) ?? false, w, `grouping/group ${r.grouping}/${r.group} not in meta.groupings`);
    // Contract levels are dimension and subdimension; the loaders also write one "section" row per wave and group
    // (the whole section's score, dimension null). Pages must select the level they draw.
    need(["dimension", "subdimension", "section"].includes(r.level as string), w, "level: dimension | subdimension (| section)");
    if (r.level === "section") {
      need(r.code === section?.code && r.dimension === null && isStr(r.name), w, "a section row has the section's code and dimension null");
    } else {
      need((r.level === "dimension" ? dimCodes : subCodes).has(r.code), w, `code ${r.code} not a ${r.level} of meta.dimensions`);
      need(isStr(r.name) && dimCodes.has(r.dimension), w, "name, dimension");
    }
    need(typeof r.suppressed === "boolean", w, "suppressed: boolean");
    const key = `${r.wave}|${r.grouping}|${r.group}|${r.level}|${r.code}`;
    need(!seen.has(key), w, `duplicate key ${key}`);
    seen.add(key);
    if (r.suppressed) {
      for (const k of STATS) need(r[k] === null, w, `${k} must be null when suppressed`);
    } else {
      for (const k of STATS) need(isNum(r[k]), w, `${k}: a number`);
      need(isInt(r.n) && (r.n as number) >= minN, w, `n ${r.n} below minGroupSize ${minN} but not suppressed`);
      need((r.ciLow as number) <= (r.mean as number) && (r.mean as number) <= (r.ciHigh as number), w, "ciLow ≤ mean ≤ ciHigh");
      need((r.index as number) >= 0 && (r.index as number) <= 100, w, "index in 0–100");
      need((r.agreeLow as number) <= (r.agreeShare as number) && (r.agreeShare as number) <= (r.agreeHigh as number), w, "agreeLow ≤ agreeShare ≤ agreeHigh");
    }
  });

  // causes-items.json
  need(Array.isArray(items), "causes-items.json", "an array");
  const k = scale ? (scale.max as number) - (scale.min as number) + 1 : 0;
  items.forEach((r, i) => {
    const w = `causes-items.json[${i}]`;
    need(waves.includes(r.wave), w, `wave ${r.wave} not in meta.waves`);
    need(groupsOf.get(r.grouping as string)?.has(r.group as string) ?? false, w, `grouping/group ${r.grouping}/${r.group} not in meta.groupings`);
    need(isStr(r.code) && isStr(r.text), w, "code, text");
    need(dimCodes.has(r.dimension) && subCodes.has(r.subdimension), w, "dimension, subdimension from meta");
    need(typeof r.reverse === "boolean" && typeof r.suppressed === "boolean", w, "reverse, suppressed: booleans");
    if (r.suppressed) {
      need(r.n === null && r.counts === null, w, "n and counts must be null when suppressed");
    } else {
      const counts = r.counts as unknown[];
      need(Array.isArray(counts) && counts.length === k && counts.every((c) => isInt(c) && (c as number) >= 0), w, `counts: ${k} non-negative integers`);
      need(isInt(r.n) && (r.n as number) >= minN, w, `n ${r.n} below minGroupSize ${minN} but not suppressed`);
      if (Array.isArray(counts)) need(counts.reduce((a: number, c) => a + (c as number), 0) === r.n, w, "counts add up to n");
    }
  });
  return problems;
}
