// Scale reliability and descriptives per dimension, and frequencies of categorical items, straight from ingested
// respondents (no store needed): what `npm run stats` prints for any export the ingest reads.
import type { CodebookIndex } from "../codebook/load.ts";
import type { AcceptedRespondent } from "./ingest-file.ts";
import { multipleChoiceFrequencies, frequencies } from "../stats/categorical.ts";
import { cronbachAlpha } from "../stats/reliability.ts";

export interface DimensionStatistics {
  dimension: string;
  name: string;
  items: number;
  n: number;
  mean: number;
  sd: number;
  alpha: number;
  std_alpha: number;
  average_r: number;
}

export interface CategoricalStatistics {
  item: string;
  text: string;
  type: "single" | "multiple";
  n: number;
  counts: { option: string; count: number; share: number }[];
}

/** Respondents the codebook's quality rules leave out of scale statistics (speeders, straight-liners). */
export function countsForScores(index: CodebookIndex, r: AcceptedRespondent): boolean {
  const exclude = new Set(index.codebook.quality.excludeFromScores);
  return !((exclude.has("speeder") && r.isSpeeder) || (exclude.has("straightliner") && r.isStraightliner));
}

export function dimensionStatistics(index: CodebookIndex, respondents: AcceptedRespondent[]): DimensionStatistics[] {
  const scored = respondents.filter((r) => countsForScores(index, r));
  return index.codebook.sections.flatMap((section) =>
    section.dimensions.flatMap((d) => {
      const items = index.likert.filter((q) => index.subdimension.get(q.subdimension)!.dimension === d.code);
      if (items.length === 0) return [];
      const scale = index.scaleOf(items[0]);
      const matrix = scored.map((r) =>
        items.map((q) => {
          const a = r.answers.get(q.code);
          return a?.type === "likert" ? a.value : null;
        })
      );
      const result = cronbachAlpha(matrix, {
        names: items.map((q) => q.code),
        reverse: items.map((q) => q.reverse),
        min: scale.min,
        max: scale.max
      });
      return [
        {
          dimension: d.code,
          name: d.name,
          items: items.length,
          n: result.respondents,
          mean: result.mean,
          sd: result.sd,
          alpha: result.rawAlpha,
          std_alpha: result.stdAlpha,
          average_r: result.averageR
        }
      ];
    })
  );
}

export function categoricalStatistics(
  index: CodebookIndex,
  respondents: AcceptedRespondent[],
  unitNames: Map<string, string>
): CategoricalStatistics[] {
  return index.codebook.questions.flatMap((q): CategoricalStatistics[] => {
    if (q.type === "single") {
      const values = respondents.map((r) => {
        const a = r.answers.get(q.code);
        return a?.type === "single" ? a.label : a?.type === "unit" ? (unitNames.get(a.unit) ?? a.unit) : null;
      });
      const labels = q.options === "roster" ? [...unitNames.values()] : q.options.map((o) => o.label);
      const f = frequencies(values, labels);
      return [
        {
          item: q.code,
          text: q.text,
          type: "single",
          n: f.n,
          counts: f.options.map((o) => ({ option: String(o.option), count: o.count, share: o.share }))
        }
      ];
    }
    if (q.type === "multiple") {
      const values = respondents.map((r) => {
        const a = r.answers.get(q.code);
        return a?.type === "multiple" ? a.options.map((i) => q.options[i - 1].label) : null;
      });
      const f = multipleChoiceFrequencies(
        values,
        q.options.map((o) => o.label)
      );
      return [
        {
          item: q.code,
          text: q.text,
          type: "multiple",
          n: f.n,
          counts: f.options.map((o) => ({ option: String(o.option), count: o.count, share: o.share }))
        }
      ];
    }
    return [];
  });
}
