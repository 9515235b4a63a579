// The seeded sample generator: simulates the population of POPULATION_MODEL through the questions of the codebook and
// returns the in-memory truth (respondents, file rows with their deliberate flaws, assessment scores). Pure, no I/O.
// Every wave draws from its own stream (seed, year), so a wave does not change when other waves are added.
import type {
  AssessmentScore,
  Codebook,
  Indicator,
  Indicators,
  LikertQuestion,
  Question,
  RosterUnit
} from "../codebook/schema.ts";
import { indexCodebook } from "../codebook/load.ts";
import { columnOf, optionLabels, surveyColumns, type Column } from "./columns.ts";
import {
  DEFAULT_SEED,
  POPULATION_MODEL,
  Rng,
  choiceShare,
  deriveSeed,
  modelMean,
  type PopulationModel
} from "./population.ts";
import type {
  AssessmentFlaw,
  AssessmentFlawKind,
  ExportMode,
  FileFormat,
  FilePlan,
  FileRow,
  FlawKind,
  MissingKind,
  MultipleAnswer,
  RawAnswer,
  SampleFlaw,
  SampleRespondent,
  SampleTruth,
  SampleWave,
  SensitiveText
} from "./types.ts";

export type * from "./types.ts";

export const DEFAULT_WAVES: readonly number[] = [2019, 2020, 2021, 2022, 2023, 2024, 2025];
export const SURVEY_FILE_STEM = "市直机关党务干部问卷";

/** The export of each wave, in turn (a wave list longer than this cycles through it). */
export const FILE_PLAN_CYCLE: readonly { mode: ExportMode; format: FileFormat; suffix: string }[] = [
  { mode: "text", format: "xls", suffix: "按文本.xls" },
  { mode: "number", format: "xlsx", suffix: "按序号.xlsx" },
  { mode: "text", format: "csv-gbk", suffix: "GBK.csv" },
  { mode: "score", format: "xlsx", suffix: "按分数.xlsx" },
  { mode: "text", format: "csv-utf8bom", suffix: "按文本.csv" },
  { mode: "number", format: "xls", suffix: "按序号.xls" },
  { mode: "text", format: "xlsx", suffix: "按文本.xlsx" }
];

export function filePlanFor(year: number, waveIndex: number): FilePlan {
  const p = FILE_PLAN_CYCLE[waveIndex % FILE_PLAN_CYCLE.length];
  return { year, fileName: `${year}年${SURVEY_FILE_STEM}_${p.suffix}`, mode: p.mode, format: p.format };
}

export interface GenerateInput {
  codebook: Codebook;
  roster: RosterUnit[];
  indicators: Indicators | Indicator[];
  seed?: number;
  /** survey years; default 2019–2025 */
  waves?: readonly number[];
  model?: PopulationModel;
}

const clamp = (x: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, x));
const round1 = (x: number) => Math.round(x * 10) / 10;

interface DimInfo {
  code: string;
  section: string;
}

interface UnitState {
  unit: RosterUnit;
  index: number;
  /** dimension code → centred unit effect */
  effect: Record<string, number>;
}

/** Everything fixed across waves. */
interface Context {
  codebook: Codebook;
  roster: RosterUnit[];
  model: PopulationModel;
  unitNames: string[];
  unitQuestion: Question;
  dims: DimInfo[];
  dimOfSub: Map<string, string>;
  sectionOfDim: Map<string, string>;
  units: UnitState[];
  /** role label → centred role effect (before the section factor) */
  roleEffect: Map<string, number>;
}

export function generateSample(input: GenerateInput): SampleTruth {
  const model = input.model ?? POPULATION_MODEL;
  const seed = input.seed ?? DEFAULT_SEED;
  const waves = [...(input.waves ?? DEFAULT_WAVES)];
  const { codebook, roster } = input;
  const indicators = Array.isArray(input.indicators) ? input.indicators : input.indicators.indicators;
  const index = indexCodebook(codebook);

  const unitQuestion = codebook.questions.find((q) => q.type === "single" && q.options === "roster");
  if (!unitQuestion) throw new Error('the codebook has no unit question (a single choice with options "roster")');
  const unitNames = roster.map((u) => u.name);

  const dims: DimInfo[] = codebook.sections.flatMap((s) =>
    s.dimensions.map((d) => ({ code: d.code, section: s.code }))
  );
  const dimOfSub = new Map([...index.subdimension.values()].map((s) => [s.code, s.dimension]));
  const sectionOfDim = new Map(dims.map((d) => [d.code, d.section]));

  // the headers with a trailing space: fixed for a seed, the same in every file
  const hr = new Rng(deriveSeed(seed, "headers"));
  const headerTrailingSpace = codebook.questions
    .filter((q) => hr.chance(0.25) && q.type !== "multiple")
    .map((q) => q.code);
  const trailing = new Set(headerTrailingSpace);

  // units: assessment strengths and survey effects, fixed across waves
  const ur = new Rng(deriveSeed(seed, "units"));
  const a = model.assessment;
  const profiles = roster.map(() => {
    const pb = ur.normal();
    const biz = a.businessCorrelation * pb + Math.sqrt(1 - a.businessCorrelation ** 2) * ur.normal();
    return { partyBuilding: pb, business: biz, twoSkins: false };
  });
  ur.shuffle(roster.map((_, i) => i))
    .slice(0, Math.min(a.twoSkins, roster.length))
    .forEach((i, k) => {
      const s = k % 2 === 0 ? 1 : -1;
      profiles[i] = {
        partyBuilding: s * (1.3 + 0.3 * ur.next()),
        business: -s * (1.3 + 0.3 * ur.next()),
        twoSkins: true
      };
    });
  const rawEffects = roster.map((u, i) =>
    Object.fromEntries(
      dims.map((d) => [
        d.code,
        (model.categoryEffects[u.category]?.[d.code] ?? 0) +
          ur.normal(0, model.noise.unit) +
          (a.surveyLinks[d.code] ?? 0) * profiles[i].partyBuilding
      ])
    )
  );
  // centre the unit effects (headcount-weighted) so that the population mean of a dimension is the model's mean
  const totalHead = roster.reduce((s, u) => s + u.headcount, 0) || 1;
  const units: UnitState[] = roster.map((unit, i) => ({ unit, index: i, effect: {} }));
  for (const d of dims) {
    const mean = roster.reduce((s, u, i) => s + u.headcount * rawEffects[i][d.code], 0) / totalHead;
    units.forEach((st, i) => (st.effect[d.code] = rawEffects[i][d.code] - mean));
  }

  const roleQ = codebook.questions.find((q) => q.attribute === model.roleAttribute);
  const roleEffect = new Map<string, number>();
  if (roleQ) {
    const labels = optionLabels(roleQ, unitNames).map((o) => o.label);
    const w = labels.map((l) => choiceShare(model, l, model.baseYear) ?? 1);
    const mean = labels.reduce((s, l, i) => s + w[i] * (model.roleEffects[l] ?? 0), 0) / w.reduce((x, y) => x + y, 0);
    labels.forEach((l) => roleEffect.set(l, (model.roleEffects[l] ?? 0) - mean));
  }

  const ctx: Context = {
    codebook,
    roster,
    model,
    unitNames,
    unitQuestion,
    dims,
    dimOfSub,
    sectionOfDim,
    units,
    roleEffect
  };

  const truth: SampleTruth = {
    seed,
    waves: [],
    flaws: [],
    sensitiveTexts: [],
    assessment: [],
    assessmentFlaws: [],
    unitProfiles: Object.fromEntries(roster.map((u, i) => [u.code, profiles[i]])),
    headerTrailingSpace,
    unitNames
  };
  waves.forEach((year, i) => {
    const plan = filePlanFor(year, i);
    const columns = surveyColumns(codebook, plan.mode, trailing);
    const wave = generateWave(ctx, new Rng(deriveSeed(seed, "wave", year)), plan, columns, truth);
    truth.waves.push(wave);
  });
  truth.assessment = generateAssessment(
    new Rng(deriveSeed(seed, "assessment")),
    model,
    roster,
    indicators,
    profiles,
    waves
  );
  truth.assessmentFlaws = generateAssessmentFlaws(
    new Rng(deriveSeed(seed, "assessment-flaws")),
    truth.assessment,
    roster,
    indicators
  );
  return truth;
}

// ---------------------------------------------------------------------------------------------------------------------
// respondents per unit

function allocate(rng: Rng, roster: RosterUnit[], target: number, model: PopulationModel): number[] {
  const rr = model.respondents.responseRate;
  const n = roster.map((u) =>
    u.headcount <= 0
      ? 0
      : clamp(Math.round(u.headcount * clamp(rng.normal(rr.mean, rr.sd), rr.min, rr.max)), 1, u.headcount)
  );
  const capacity = roster.reduce((s, u) => s + Math.max(0, u.headcount), 0);
  const total = clamp(target, n.filter((x) => x > 0).length, capacity);
  let sum = n.reduce((s, x) => s + x, 0);
  while (sum > total) {
    n[rng.weighted(n.map((x) => (x > 1 ? x : 0)))]--;
    sum--;
  }
  while (sum < total) {
    n[rng.weighted(roster.map((u, j) => u.headcount - n[j]))]++;
    sum++;
  }
  // response rates vary: make sure enough units answer with fewer than `smallGroup` cadres
  const G = model.respondents.smallGroup;
  let small = n.filter((x) => x > 0 && x < G).length;
  while (small < model.respondents.minSmallUnits) {
    const candidates = roster
      .map((u, i) => i)
      .filter((i) => n[i] >= G)
      .sort((x, y) => roster[x].headcount - roster[y].headcount);
    if (candidates.length === 0) break;
    const i = candidates[0];
    let surplus = n[i] - (G - 1);
    n[i] = G - 1;
    small++;
    while (surplus > 0) {
      const spare = roster.map((u, j) => (j !== i && n[j] >= G ? u.headcount - n[j] : 0));
      if (spare.every((s) => s <= 0)) break;
      n[rng.weighted(spare)]++;
      surplus--;
    }
    if (surplus > 0) n[i] += surplus; // nowhere to put them: give up on this unit
  }
  return n;
}

// ---------------------------------------------------------------------------------------------------------------------
// one respondent

interface Draft {
  respondent: SampleRespondent;
  /** seconds since the start of October, for ordering */
  time: number;
  sensitive: "unit_name" | "person_name" | null;
}

function pad2(x: number): string {
  return String(x).padStart(2, "0");
}

function pickChoice(rng: Rng, model: PopulationModel, labels: string[], year: number): string {
  const w = labels.map((l) => choiceShare(model, l, year) ?? 1);
  return labels[rng.weighted(w)];
}

/** A question of the codebook of one type. */
type QuestionOf<T extends Question["type"]> = Extract<Question, { type: T }>;

/**
 * One respondent while it is being drawn: what the answer steps share. The steps draw from `rng` in a fixed order
 * (attributes, latent traits, the straightliner's value, the answers, the metadata); changing that order changes the
 * whole sample of a seed.
 */
interface RespondentDraw {
  ctx: Context;
  rng: Rng;
  unit: UnitState;
  year: number;
  /** a respondent of a flawed extra row: answers normally, names nobody, never speeds or straightlines */
  plain: boolean;
  speeder: boolean;
  straightliner: boolean;
  /** the answer a straightliner gives to every Likert item, on a 1–5 scale */
  straightValue: number;
  /** dimension code → latent trait */
  latent: Record<string, number>;
  /** cause dimension code → its deviation from the year's mean (what the other dimensions and numbers load on) */
  dev: Record<string, number>;
  answers: Record<string, RawAnswer>;
  missing: Record<string, MissingKind>;
  sensitive: Draft["sensitive"];
}

function makeRespondent(ctx: Context, rng: Rng, unit: UnitState, year: number, plain: boolean): Draft {
  const q = ctx.model.quality;
  const speeder = !plain && rng.chance(q.speeders);
  const straightliner = !plain && !speeder && rng.chance(q.straightliners);
  // attributes first: they drive the latent traits
  const { answers, attributes } = drawAttributes(ctx, rng, unit, year);
  const { latent, dev } = drawLatentTraits(ctx, rng, unit, year, attributes[ctx.model.roleAttribute]);
  const straightValue = rng.pick([4, 4, 4, 4, 3, 3, 5, 2]);
  const draw: RespondentDraw = {
    ctx,
    rng,
    unit,
    year,
    plain,
    speeder,
    straightliner,
    straightValue,
    latent,
    dev,
    answers,
    missing: {},
    sensitive: null
  };
  drawAnswers(draw);
  const metadata = drawMetadata(rng, ctx.model, year, speeder, straightliner);

  return {
    respondent: {
      id: "",
      year,
      serial: 0,
      row: 0,
      unit: unit.unit.code,
      category: unit.unit.category,
      attributes,
      answers,
      missing: draw.missing,
      submittedAt: metadata.submittedAt,
      durationSeconds: metadata.durationSeconds,
      source: metadata.source,
      sourceDetail: metadata.sourceDetail,
      ip: metadata.ip,
      flags: { speeder, straightliner },
      latent
    },
    time: metadata.time,
    sensitive: draw.sensitive
  };
}

/** The unit question and the attribute questions (role, tenure …): answered before anything else. */
function drawAttributes(
  ctx: Context,
  rng: Rng,
  unit: UnitState,
  year: number
): { answers: Record<string, RawAnswer>; attributes: Record<string, string> } {
  const answers: Record<string, RawAnswer> = {};
  const attributes: Record<string, string> = {};
  for (const question of ctx.codebook.questions) {
    if (question.type !== "single") continue;
    let label: string;
    if (question === ctx.unitQuestion) label = unit.unit.name;
    else if (question.attribute)
      label = pickChoice(
        rng,
        ctx.model,
        optionLabels(question, ctx.unitNames).map((o) => o.label),
        year
      );
    else continue;
    answers[question.code] = label;
    if (question.attribute) attributes[question.attribute] = label;
  }
  return { answers, attributes };
}

/** The latent trait of every dimension: the causes first, the other dimensions load on their deviations. */
function drawLatentTraits(
  ctx: Context,
  rng: Rng,
  unit: UnitState,
  year: number,
  role: string | undefined
): { latent: Record<string, number>; dev: Record<string, number> } {
  const { model } = ctx;
  const roleTerm = (section: string) =>
    role !== undefined ? (ctx.roleEffect.get(role) ?? 0) * (model.roleEffectBySection[section] ?? 0) : 0;
  const latent: Record<string, number> = {};
  const dev: Record<string, number> = {};
  const general = rng.normal(0, model.noise.general);
  for (const d of ctx.dims) {
    if (!model.causes.includes(d.code)) continue;
    const mean = model.dimensions[d.code] ? modelMean(model, d.code, year) : 3;
    const x = mean + roleTerm(d.section) + unit.effect[d.code] + general + rng.normal(0, model.noise.dimension);
    latent[d.code] = x;
    dev[d.code] = x - mean;
  }
  for (const d of ctx.dims) {
    if (model.causes.includes(d.code)) continue;
    const dm = model.dimensions[d.code];
    const mean = dm ? modelMean(model, d.code, year) : 3;
    const driven = Object.entries(dm?.drivers ?? {}).reduce((s, [c, l]) => s + l * (dev[c] ?? 0), 0);
    latent[d.code] = mean + driven + roleTerm(d.section) + unit.effect[d.code] + rng.normal(0, model.noise.dimension);
  }
  return { latent, dev };
}

/** Every question in codebook order (the attributes are already answered). */
function drawAnswers(draw: RespondentDraw): void {
  const { ctx, rng, year, answers } = draw;
  for (const question of ctx.codebook.questions) {
    switch (question.type) {
      case "likert":
        drawLikertAnswer(draw, question);
        break;
      case "single":
        if (question.code in answers) break; // an attribute
        answers[question.code] = pickChoice(
          rng,
          ctx.model,
          optionLabels(question, ctx.unitNames).map((o) => o.label),
          year
        );
        break;
      case "multiple":
        drawMultipleAnswer(draw, question);
        break;
      case "number":
        drawNumberAnswer(draw, question);
        break;
      case "text":
        drawTextAnswer(draw, question);
        break;
    }
  }
}

function noteMissing(draw: RespondentDraw, code: string, kind: MissingKind): void {
  draw.answers[code] = null;
  draw.missing[code] = kind;
}

/** A Likert item: the straightliner's constant, the speeder's random pick, a gap, or the latent trait plus noise. */
function drawLikertAnswer(draw: RespondentDraw, question: LikertQuestion): void {
  const { ctx, rng } = draw;
  const { model } = ctx;
  const q = model.quality;
  const scale = ctx.codebook.scales[question.scale];
  const span = scale.max - scale.min;
  if (draw.straightliner) {
    draw.answers[question.code] = clamp(
      scale.min + Math.round(((draw.straightValue - 1) / 4) * span),
      scale.min,
      scale.max
    );
    return;
  }
  if (draw.speeder) {
    draw.answers[question.code] = rng.int(scale.min, scale.max);
    return;
  }
  if (rng.chance(q.likertSkipped)) {
    noteMissing(draw, question.code, rng.chance(q.unansweredShareOfSkipped) ? "unanswered" : "skipped");
    return;
  }
  const dim = ctx.dimOfSub.get(question.subdimension)!;
  const x = draw.latent[dim] + (model.subdimensions[question.subdimension] ?? 0) + rng.normal(0, model.noise.item);
  const keyed = clamp(Math.round(scale.min + ((x - 1) / 4) * span), scale.min, scale.max);
  draw.answers[question.code] = question.reverse ? scale.min + scale.max - keyed : keyed;
}

/** A multiple choice: each option with its (trending) share, perhaps a fill-in; never nothing at all. */
function drawMultipleAnswer(draw: RespondentDraw, question: QuestionOf<"multiple">): void {
  const { rng, speeder } = draw;
  const m = draw.ctx.model.multiple;
  const t = draw.year - draw.ctx.model.baseYear;
  const regular = question.options.filter((o) => !o.other);
  const otherOption = question.options.find((o) => o.other);
  let chosen = regular.filter((o) =>
    rng.chance(clamp((m.shares[o.label] ?? m.defaultShare) + m.trend * t, 0, m.maxShare))
  );
  if (speeder) chosen = [rng.pick(regular)];
  let other: string | null = null;
  if (otherOption && !speeder && rng.chance(m.otherShare)) other = rng.pick(m.otherFillIns);
  // an empty answer would read as skipped: such a respondent ticks the most common option
  if (chosen.length === 0 && other === null)
    chosen = [regular.reduce((b, o) => ((m.shares[o.label] ?? 0) > (m.shares[b.label] ?? 0) ? o : b))];
  const picked = new Set(chosen.map((o) => o.label));
  const labels = question.options.filter((o) => picked.has(o.label) || (o.other && other !== null)).map((o) => o.label);
  draw.answers[question.code] = { labels, other } satisfies MultipleAnswer;
}

/** A count: Poisson around the (trending) mean, raised or lowered by the causes. */
function drawNumberAnswer(draw: RespondentDraw, question: QuestionOf<"number">): void {
  const { rng } = draw;
  const nm = draw.ctx.model.number;
  if (rng.chance(nm.unanswered)) {
    noteMissing(draw, question.code, "unanswered");
    return;
  }
  const t = draw.year - draw.ctx.model.baseYear;
  const drive = Object.entries(nm.drivers).reduce((s, [c, l]) => s + l * (draw.dev[c] ?? 0), 0);
  const lambda = Math.max(0.3, nm.mean + nm.trend * t) * Math.exp(drive);
  const hi = Math.min(question.max ?? nm.max, nm.max);
  draw.answers[question.code] = clamp(rng.poisson(lambda), question.min ?? 0, hi);
}

/** An open answer: often none; else a suggestion, or (not in the flawed extra rows) one naming a unit or a person. */
function drawTextAnswer(draw: RespondentDraw, question: QuestionOf<"text">): void {
  const { ctx, rng, plain } = draw;
  const o = ctx.model.openText;
  if (!rng.chance(draw.speeder ? o.answered / 4 : o.answered)) {
    noteMissing(draw, question.code, "unanswered");
    return;
  }
  const r = rng.next();
  if (!plain && r < o.namesUnit) {
    // mostly the respondent's own unit
    const name = rng.chance(0.7) ? draw.unit.unit.name : rng.pick(ctx.unitNames);
    draw.answers[question.code] = rng.pick(o.unitTemplates).replace("{unit}", name);
    draw.sensitive = "unit_name";
  } else if (!plain && r < o.namesUnit + o.namesPerson) {
    draw.answers[question.code] = rng.pick(o.personTemplates).replace("{person}", rng.pick(o.personNames));
    draw.sensitive = "person_name";
  } else draw.answers[question.code] = rng.pick(o.suggestions);
}

/** Duration, submission time, source and IP address of one respondent. */
function drawMetadata(
  rng: Rng,
  model: PopulationModel,
  year: number,
  speeder: boolean,
  straightliner: boolean
): { durationSeconds: number; submittedAt: string; time: number; source: string; sourceDetail: string; ip: string } {
  const q = model.quality;
  const durationSeconds = speeder
    ? rng.int(q.speederMin, q.speederMax)
    : Math.round(
        clamp(
          Math.exp(rng.normal(Math.log(q.durationMedian * (straightliner ? 0.55 : 1)), q.durationSigma)),
          q.durationMin,
          q.durationMax
        )
      );
  const [d0, d1] = model.metadata.days;
  const day = Math.min(d1, d0 + Math.floor(-Math.log(1 - rng.next()) * 4)); // most answer in the first days
  const hour = rng.weighted([0, 0, 0, 0, 0, 0, 0, 1, 4, 8, 9, 7, 3, 2, 6, 8, 8, 6, 3, 3, 3, 2, 1, 0]);
  const minute = rng.int(0, 59);
  const second = rng.int(0, 59);
  const submittedAt = `${year}/10/${day} ${hour}:${pad2(minute)}:${pad2(second)}`;
  const time = ((day * 24 + hour) * 60 + minute) * 60 + second;
  const src = model.metadata.sources[rng.weighted(model.metadata.sources.map((s) => s.weight))];
  const ipp = model.metadata.ipPrefixes[rng.weighted(model.metadata.ipPrefixes.map((s) => s.weight))];
  const ip = `${ipp.prefix}.${rng.int(1, 254)}.${rng.int(1, 254)}(${ipp.place})`;
  return { durationSeconds, submittedAt, time, source: src.source, sourceDetail: src.detail, ip };
}

// ---------------------------------------------------------------------------------------------------------------------
// one wave and its file rows

interface FlawSpec {
  kind: Exclude<FlawKind, "empty_row" | "duplicate_id">;
  draft: Draft;
  question: Question;
  value: string | number;
  note: string;
}

function generateWave(ctx: Context, rng: Rng, plan: FilePlan, columns: Column[], truth: SampleTruth): SampleWave {
  const { model, roster } = ctx;
  const year = plan.year;
  const target =
    year === model.baseYear
      ? model.respondents.baseYear
      : rng.int(model.respondents.later[0], model.respondents.later[1]);
  const counts = allocate(rng, roster, target, model);

  const drafts: Draft[] = [];
  ctx.units.forEach((u, i) => {
    for (let k = 0; k < counts[i]; k++) drafts.push(makeRespondent(ctx, rng, u, year, false));
  });
  const specs = drawFlawedRows(ctx, rng, plan, counts);

  // order by submission time: 序号 follows it
  const all: WaveEntry[] = [
    ...drafts.map((draft) => ({ draft, spec: null })),
    ...specs.map((spec) => ({ draft: spec.draft, spec }))
  ];
  all.sort((x, y) => x.draft.time - y.draft.time);
  const { rows, duplicate } = layOutRows(rng, all, year);

  truth.flaws.push(...listFlaws(plan, columns, all, rows, duplicate));
  const respondents: SampleRespondent[] = [];
  for (const { draft, spec } of all) {
    if (spec) continue;
    respondents.push(draft.respondent);
  }
  respondents.sort((x, y) => x.row - y.row);
  truth.sensitiveTexts.push(...listSensitiveTexts(ctx, plan, columns, all));

  const unitCounts: Record<string, number> = {};
  for (const r of respondents) unitCounts[r.unit] = (unitCounts[r.unit] ?? 0) + 1;
  return { year, file: plan, respondents, rows, unitCounts };
}

/** A respondent of the wave's file: a clean one (spec null) or the respondent of a flawed extra row. */
interface WaveEntry {
  draft: Draft;
  spec: FlawSpec | null;
}

/** The extra respondents of the flawed rows, drawn from the units with room left (headcount minus respondents). */
interface ExtraRespondents {
  /** a unit with room left, weighted by the room; any unit when none has room */
  spareUnit: () => UnitState;
  /** a plain respondent of `unit` (by default a spare unit) */
  extra: (unit?: UnitState) => Draft;
}

function extraRespondents(ctx: Context, rng: Rng, counts: number[], year: number): ExtraRespondents {
  const extraCounts: number[] = ctx.roster.map(() => 0);
  const spareUnit = () => {
    const spare = ctx.roster.map((u, i) => u.headcount - counts[i] - extraCounts[i]);
    return spare.some((s) => s > 0) ? ctx.units[rng.weighted(spare)] : rng.pick(ctx.units);
  };
  const extra = (u: UnitState = spareUnit()) => {
    extraCounts[u.index]++;
    return makeRespondent(ctx, rng, u, year, true);
  };
  return { spareUnit, extra };
}

/** The flawed extra rows: respondents of units with room left, each with exactly one deliberate flaw. */
function drawFlawedRows(ctx: Context, rng: Rng, plan: FilePlan, counts: number[]): FlawSpec[] {
  const extras = extraRespondents(ctx, rng, counts, plan.year);
  const coded = plan.mode !== "text";
  const specs: FlawSpec[] = [];
  // the order of these steps is the order of their draws
  for (let k = 0; k < 2; k++) specs.push(unknownUnitFlaw(ctx, rng, coded, extras));
  specs.push(...likertFlaws(ctx, rng, coded, extras));
  // a required attribute (the role) left empty
  const required = ctx.codebook.questions.find((q) => q.required && q !== ctx.unitQuestion && q.type !== "text");
  if (required)
    specs.push({
      kind: "missing_required",
      draft: extras.extra(),
      question: required,
      value: "",
      note: `必答题“${required.text}”为空`
    });
  return specs;
}

/** An unknown unit: a former name or short form in text mode, an option number past the roster in coded modes. */
function unknownUnitFlaw(ctx: Context, rng: Rng, coded: boolean, { spareUnit, extra }: ExtraRespondents): FlawSpec {
  if (coded) {
    const value = ctx.unitNames.length + 1 + rng.int(0, 2);
    return {
      kind: "unknown_unit",
      draft: extra(),
      question: ctx.unitQuestion,
      value,
      note: `单位选项序号${value}超出名册（共${ctx.unitNames.length}个单位）`
    };
  }
  const renamed = Object.entries(ctx.model.formerNames).filter(([name]) => ctx.unitNames.includes(name));
  let unit: UnitState;
  let value: string;
  if (renamed.length > 0) {
    const [name, former] = rng.pick(renamed);
    unit = ctx.units[ctx.unitNames.indexOf(name)];
    value = rng.pick(former);
  } else {
    unit = spareUnit();
    value = `${unit.unit.name}（原）`;
  }
  return {
    kind: "unknown_unit",
    draft: extra(unit),
    question: ctx.unitQuestion,
    value,
    note: `单位名称“${value}”不在名册中（现名：${unit.unit.name}）`
  };
}

/** Likert cells out of the scale: two numbers past the scale in coded modes, one label not on it in text mode. */
function likertFlaws(ctx: Context, rng: Rng, coded: boolean, { extra }: ExtraRespondents): FlawSpec[] {
  const likert = ctx.codebook.questions.filter((q) => q.type === "likert");
  if (likert.length === 0) return [];
  const specs: FlawSpec[] = [];
  for (let k = 0; k < (coded ? 2 : 1); k++) {
    const question = rng.pick(likert);
    const value = coded ? rng.pick(ctx.model.offScaleNumbers) : rng.pick(ctx.model.offScaleLabels);
    specs.push({
      kind: coded ? "likert_out_of_range" : "invalid_option",
      draft: extra(),
      question,
      value,
      note: coded ? `量表题取值${value}超出选项范围` : `量表题答案“${value}”不是量表选项`
    });
  }
  return specs;
}

/** A duplicated 序号: where the copy was pasted in (its index in rows) and the row it copies. */
interface Duplicate {
  at: number;
  of: FileRow;
}

/**
 * The file rows in submission order with their 序号 and ids, a duplicated row pasted in, an empty row at the end, and
 * every row numbered as in the file (header = row 1). Sets serial, id and row of the respondents.
 */
function layOutRows(rng: Rng, all: WaveEntry[], year: number): { rows: FileRow[]; duplicate: Duplicate | null } {
  const rows: FileRow[] = all.map(({ draft, spec }, i) => {
    const r = draft.respondent;
    r.serial = i + 1;
    r.id = `${year}-${String(i + 1).padStart(4, "0")}`;
    return {
      row: 0,
      serial: i + 1,
      respondent: r,
      clean: spec === null,
      ...(spec ? { override: { question: spec.question.code, value: spec.value } } : {})
    };
  });
  // a duplicated 序号: an exact copy of a clean row, pasted in again further down (two exports merged by hand)
  const cleanPositions = rows.map((r, i) => (r.clean ? i : -1)).filter((i) => i >= 0 && i < rows.length - 2);
  let duplicate: Duplicate | null = null;
  if (cleanPositions.length > 0) {
    const p = rng.pick(cleanPositions.slice(0, Math.max(1, Math.floor(cleanPositions.length * 0.8))));
    const at = rng.int(p + 1, rows.length);
    const of = rows[p];
    rows.splice(at, 0, { row: 0, serial: of.serial, respondent: of.respondent, clean: false });
    duplicate = { at, of };
  }
  // a fully empty trailing row
  rows.push({ row: 0, serial: null, respondent: null, clean: false });
  rows.forEach((r, i) => (r.row = i + 2));
  // a duplicated respondent keeps the row of its first occurrence
  for (const r of rows) if (r.respondent && r.respondent.row === 0) r.respondent.row = r.row;
  return { rows, duplicate };
}

function headerOf(columns: Column[], q: Question): string {
  return columns[columnOf(columns, q.code)].header;
}

/** The flaw list of one file, with the rows and headers as written, in row order. */
function listFlaws(
  plan: FilePlan,
  columns: Column[],
  all: WaveEntry[],
  rows: FileRow[],
  duplicate: Duplicate | null
): SampleFlaw[] {
  const { year } = plan;
  const flaws: SampleFlaw[] = [];
  for (const r of rows) {
    const spec = r.override ? all.find((x) => x.draft.respondent === r.respondent)?.spec : undefined;
    if (spec)
      flaws.push({
        file: plan.fileName,
        year,
        row: r.row,
        column: headerOf(columns, spec.question),
        kind: spec.kind,
        value: spec.value,
        note: spec.note
      });
  }
  if (duplicate) {
    const dupRow = rows[duplicate.at];
    flaws.push({
      file: plan.fileName,
      year,
      row: dupRow.row,
      column: columns[0].header,
      kind: "duplicate_id",
      value: dupRow.serial,
      duplicateOf: duplicate.of.row,
      note: `序号${dupRow.serial}重复（与第${duplicate.of.row}行完全相同）`
    });
  }
  const last = rows[rows.length - 1];
  flaws.push({
    file: plan.fileName,
    year,
    row: last.row,
    column: null,
    kind: "empty_row",
    value: null,
    note: "文件末尾的空行"
  });
  flaws.sort((x, y) => x.row - y.row);
  return flaws;
}

/** The open answers of clean respondents that name a unit or a person, in submission order. */
function listSensitiveTexts(ctx: Context, plan: FilePlan, columns: Column[], all: WaveEntry[]): SensitiveText[] {
  const textQuestion = ctx.codebook.questions.find((q) => q.type === "text");
  if (!textQuestion) return [];
  const texts: SensitiveText[] = [];
  for (const { draft, spec } of all) {
    if (spec || !draft.sensitive) continue;
    const r = draft.respondent;
    const text = r.answers[textQuestion.code];
    if (typeof text !== "string") continue;
    texts.push({
      file: plan.fileName,
      year: plan.year,
      row: r.row,
      respondentId: r.id,
      question: textQuestion.code,
      column: headerOf(columns, textQuestion),
      kind: draft.sensitive,
      text
    });
  }
  return texts;
}

// ---------------------------------------------------------------------------------------------------------------------
// assessment scores

function generateAssessment(
  rng: Rng,
  model: PopulationModel,
  roster: RosterUnit[],
  indicators: Indicator[],
  profiles: { partyBuilding: number; business: number }[],
  years: number[]
): AssessmentScore[] {
  const a = model.assessment;
  const out: AssessmentScore[] = [];
  // a fixed offset per unit and indicator, so that a unit's indicators are not all alike
  const offsets = roster.map(() => indicators.map(() => rng.normal(0, 2)));
  for (const year of [...years].sort((x, y) => x - y)) {
    const t = year - model.baseYear;
    roster.forEach((u, i) => {
      indicators.forEach((ind, j) => {
        let score: number;
        if (ind.domain === "party_building" && ind.kind === "process")
          score = clamp(
            rng.normal(a.process.mean + 0.6 * profiles[i].partyBuilding + 0.5 * offsets[i][j], a.process.sd),
            a.process.min,
            a.process.max
          );
        else {
          const m = ind.domain === "party_building" ? a.outcome : a.business;
          const z = ind.domain === "party_building" ? profiles[i].partyBuilding : profiles[i].business;
          score = clamp(m.mean + m.spread * z + m.trend * t + offsets[i][j] + rng.normal(0, m.noise), m.min, m.max);
        }
        out.push({ year, unit: u.code, indicator: ind.code, score: round1((score * ind.maxScore) / 100) });
      });
    });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------------------
// deliberate flaws in the assessment scores file (a stream of their own, so the clean scores do not change)

/** A unit code the roster does not have: the next code after the roster's highest (U073 → U074), else `<code>_OLD`. */
function unknownUnitCode(roster: RosterUnit[]): string {
  const numbered = roster.map((u) => /^(.*?)(\d+)$/.exec(u.code)).filter((m): m is RegExpExecArray => m !== null);
  if (numbered.length === 0) return `${roster[0]?.code ?? "UNIT"}_OLD`;
  const last = numbered.reduce((a, b) => (Number(b[2]) > Number(a[2]) ? b : a));
  const code = `${last[1]}${String(Number(last[2]) + 1).padStart(last[2].length, "0")}`;
  return roster.some((u) => u.code === code) ? `${code}_OLD` : code;
}

function generateAssessmentFlaws(
  rng: Rng,
  scores: AssessmentScore[],
  roster: RosterUnit[],
  indicators: Indicator[]
): AssessmentFlaw[] {
  if (scores.length < 10) return [];
  const kinds: AssessmentFlawKind[] = [
    "unknown_unit",
    "unknown_indicator",
    "score_above_max",
    "duplicate_row",
    "non_numeric_score"
  ];
  // one flaw in each fifth of the file, written right after a clean row of that stretch
  const span = Math.floor(scores.length / kinds.length);
  const maxOf = new Map(indicators.map((i) => [i.code, i.maxScore]));
  const flaws = kinds.map((kind, k): AssessmentFlaw => {
    const after = k * span + rng.int(0, span - 1);
    const s = scores[after];
    const base = { kind, row: 0, after };
    switch (kind) {
      case "unknown_unit": {
        const unit = unknownUnitCode(roster);
        return {
          ...base,
          column: "unit",
          cells: [s.year, unit, s.indicator, s.score],
          note: `单位代码 ${unit} 不在名册中`
        };
      }
      case "unknown_indicator": {
        const indicator = `${s.indicator}_v0`;
        return {
          ...base,
          column: "indicator",
          cells: [s.year, s.unit, indicator, s.score],
          note: `指标 ${indicator} 不在指标定义中（上一版指标）`
        };
      }
      case "score_above_max": {
        const score = (maxOf.get(s.indicator) ?? 100) + rng.int(1, 20);
        return {
          ...base,
          column: "score",
          cells: [s.year, s.unit, s.indicator, score],
          note: `得分 ${score} 超过满分`
        };
      }
      case "duplicate_row":
        return {
          ...base,
          column: "indicator",
          cells: [s.year, s.unit, s.indicator, s.score],
          note: "与上一行完全相同（重复粘贴）"
        };
      case "non_numeric_score": {
        const score = `${s.score}分`;
        return {
          ...base,
          column: "score",
          cells: [s.year, s.unit, s.indicator, score],
          note: `得分“${score}”不是数字`
        };
      }
    }
  });
  // file rows: header = 1, then the clean rows with each flaw right after its clean row
  const byAfter = new Map(flaws.map((f) => [f.after, f]));
  let row = 1;
  scores.forEach((_, i) => {
    row++;
    const flaw = byAfter.get(i);
    if (!flaw) return;
    if (flaw.kind === "duplicate_row") flaw.duplicateOf = row;
    flaw.row = ++row;
  });
  return flaws;
}

/** The rows of assessment/scores.csv as written (without the header): the clean scores with the flawed rows among them. */
export function assessmentFileRows(truth: Pick<SampleTruth, "assessment" | "assessmentFlaws">): (string | number)[][] {
  const byAfter = new Map(truth.assessmentFlaws.map((f) => [f.after, f]));
  return truth.assessment.flatMap((s, i) => {
    const flaw = byAfter.get(i);
    const clean = [s.year, s.unit, s.indicator, s.score];
    return flaw ? [clean, [...flaw.cells]] : [clean];
  });
}
