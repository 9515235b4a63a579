// What an attacker reads off a published file, in one vocabulary for every file: which group of which wave it shows
// or hides, the group's count, the figures it gives about the group, and how many answered a question in it.
// files.ts says, for each published file, how to read these; audit.ts puts them together, the way the attacks do.
export interface Observed {
  /** The published file (its path under data/, without Framework's content hash). */
  file: string;
  wave: number;
  /** all, unit_category, unit, unit_pool (a category's hidden units, together), or an attribute (role, tenure …). */
  grouping: string;
  group: string;
}

/** The group's one count (its respondents who count); null: the file shows the group as hidden. */
export interface CountObservation extends Observed {
  kind: "count";
  n: number | null;
}

/** A figure about the group (an index, a share, a bound, a change …); null: hidden. */
export interface FigureObservation extends Observed {
  kind: "figure";
  /** What the figure is, the same in every file: e.g. `index:dimension:mechanisms`. */
  measure: string;
  value: number | null;
  /** The decimals the figure may have at most (contracts/precision.ts). */
  digits: number;
}

/** How many of the group answered something (an item, a pair of scales, a question); null: hidden. */
export interface AnswersObservation extends Observed {
  kind: "answers";
  measure: string;
  n: number | null;
}

export type Observation = CountObservation | FigureObservation | AnswersObservation;

/** The groups a file lists for one wave: a table that lists units must list every roster unit. */
export interface Listing {
  /** The route of the file (all unit pages together are one listing). */
  route: string;
  wave: number;
  grouping: string;
  groups: string[];
}

/** How many of a group chose each answer of an item (raw scores min..max); null: hidden. */
export interface ItemCounts {
  file: string;
  wave: number;
  grouping: string;
  group: string;
  item: string;
  counts: number[] | null;
}

/** Which items make up a scale, as a page's meta file names them, and the answer scale. */
export interface ScaleItems {
  scale: string;
  items: { code: string; reverse: boolean }[];
  min: number;
  max: number;
}

export interface FileFacts {
  observations: Observation[];
  listings: Listing[];
  itemCounts: ItemCounts[];
  scales: ScaleItems[];
}

/** Collects the facts of one file. */
export class FactSink {
  readonly observations: Observation[] = [];
  readonly listings: Listing[] = [];
  readonly itemCounts: ItemCounts[] = [];
  readonly scales: ScaleItems[] = [];
  constructor(
    readonly file: string,
    readonly route: string
  ) {}

  count(wave: number, grouping: string, group: string, n: number | null): void {
    this.observations.push({ kind: "count", file: this.file, wave, grouping, group, n });
  }

  figure(wave: number, grouping: string, group: string, measure: string, value: number | null, digits: number): void {
    this.observations.push({ kind: "figure", file: this.file, wave, grouping, group, measure, value, digits });
  }

  answers(wave: number, grouping: string, group: string, measure: string, n: number | null): void {
    this.observations.push({ kind: "answers", file: this.file, wave, grouping, group, measure, n });
  }

  list(wave: number, grouping: string, groups: string[]): void {
    this.listings.push({ route: this.route, wave, grouping, groups });
  }

  /** An item's answer counts in a group (also counted as how many answered it). */
  counts(wave: number, grouping: string, group: string, item: string, counts: number[] | null): void {
    this.itemCounts.push({ file: this.file, wave, grouping, group, item, counts });
    this.answers(wave, grouping, group, `item:${item}`, counts ? counts.reduce((a, b) => a + b, 0) : null);
  }

  scale(scale: string, items: { code: string; reverse: boolean }[], min: number, max: number): void {
    this.scales.push({ scale, items, min, max });
  }
}
