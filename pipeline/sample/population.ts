// The simulated population behind the sample data: a seeded PRNG and one object, POPULATION_MODEL, that holds every
// "truth" of the simulation (means, trends, effects, shares, texts). Nothing else in pipeline/sample knows a question code:
// the model is keyed by dimension / sub-dimension codes, option labels and unit categories, and anything it does not
// know about gets a neutral default.

export const DEFAULT_SEED = 20190901;

// ---------------------------------------------------------------------------------------------------------------------
// PRNG

/** mulberry32: a tiny, fast, well-mixed 32-bit generator. Returns floats in [0, 1). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A seed for an independent stream, derived from the main seed and a path (FNV-1a over the parts). */
export function deriveSeed(seed: number, ...parts: (string | number)[]): number {
  let h = (0x811c9dc5 ^ (seed >>> 0)) >>> 0;
  for (const ch of parts.join("/")) {
    h ^= ch.codePointAt(0)!;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  // a final avalanche so that neighbouring paths give unrelated seeds
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b) >>> 0;
  h ^= h >>> 13;
  return h >>> 0;
}

export class Rng {
  private readonly f: () => number;
  private spare: number | null = null;
  constructor(seed: number) {
    this.f = mulberry32(seed);
  }
  /** float in [0, 1) */
  next(): number {
    return this.f();
  }
  /** integer in lo..hi inclusive */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.f() * (hi - lo + 1));
  }
  chance(p: number): boolean {
    return this.f() < p;
  }
  /** standard normal (Box–Muller, caching the second value) */
  normal(mean = 0, sd = 1): number {
    if (this.spare !== null) {
      const z = this.spare;
      this.spare = null;
      return mean + sd * z;
    }
    let u = 0;
    while (u === 0) u = this.f();
    const v = this.f();
    const r = Math.sqrt(-2 * Math.log(u));
    this.spare = r * Math.sin(2 * Math.PI * v);
    return mean + sd * r * Math.cos(2 * Math.PI * v);
  }
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.f() * items.length)];
  }
  /** index drawn with probability proportional to weights (non-negative, not all zero) */
  weighted(weights: readonly number[]): number {
    const total = weights.reduce((a, b) => a + Math.max(0, b), 0);
    let x = this.f() * total;
    for (let i = 0; i < weights.length; i++) {
      x -= Math.max(0, weights[i]);
      if (x < 0) return i;
    }
    return weights.length - 1;
  }
  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = Math.floor(this.f() * (i + 1));
      [items[i], items[j]] = [items[j], items[i]];
    }
    return items;
  }
  poisson(lambda: number): number {
    const l = Math.exp(-lambda);
    let k = 0;
    let p = 1;
    do {
      k++;
      p *= this.f();
    } while (p > l);
    return k - 1;
  }
}

// ---------------------------------------------------------------------------------------------------------------------
// The population model

export interface DimensionModel {
  /** mean of the keyed score (1–5) in the base year */
  mean: number;
  /** change of the mean per year */
  trend: number;
  /** loadings on the deviations of the cause dimensions (the drivers); only for non-cause dimensions */
  drivers?: Record<string, number>;
}

export interface ChoiceModel {
  /** share in the base year (relative weight; normalised over the options of the question) */
  share: number;
  /** change of the share per year (absolute) */
  trend?: number;
}

export interface PopulationModel {
  baseYear: number;
  /** which respondent attribute (codebook `attribute`) holds the role; the unit question is the one with options "roster" */
  roleAttribute: string;
  respondents: {
    /** the base-year wave has exactly this many respondents */
    baseYear: number;
    /** later waves: uniform in this range */
    later: [number, number];
    /** unit response rates: normal(mean, sd), clipped */
    responseRate: { mean: number; sd: number; min: number; max: number };
    /** at least this many units answer with fewer than `smallGroup` respondents */
    minSmallUnits: number;
    smallGroup: number;
  };
  /** the cause dimensions: each respondent has a latent trait on each; other dimensions load on their deviations */
  causes: string[];
  dimensions: Record<string, DimensionModel>;
  /** offset of each sub-dimension from its dimension's mean (they sum to 0 within a dimension) */
  subdimensions: Record<string, number>;
  noise: { general: number; dimension: number; unit: number; item: number };
  /** role effects (keyed by the role option label), multiplied by the section factor below */
  roleEffects: Record<string, number>;
  roleEffectBySection: Record<string, number>;
  /** unit category effects per dimension */
  categoryEffects: Record<string, Record<string, number>>;
  /** shares of single-choice options, by option label (questions not listed here: equal shares) */
  choices: Record<string, ChoiceModel>;
  multiple: {
    /** base-year share of each option, by label; unknown labels get `defaultShare` */
    shares: Record<string, number>;
    defaultShare: number;
    /** yearly rise of every share (absolute), capped at `maxShare` */
    trend: number;
    maxShare: number;
    /** share choosing the "other" option, and its fill-ins */
    otherShare: number;
    otherFillIns: string[];
  };
  /** number questions (trainings a year): Poisson with mean × exp(Σ loading × cause deviation), clipped to 0..max */
  number: { mean: number; trend: number; drivers: Record<string, number>; max: number; unanswered: number };
  openText: {
    answered: number;
    suggestions: string[];
    /** share of answers that name a unit or a person (the privacy flaw a steward must catch) */
    namesUnit: number;
    namesPerson: number;
    unitTemplates: string[];
    personTemplates: string[];
    personNames: string[];
  };
  quality: {
    speeders: number;
    straightliners: number;
    likertSkipped: number;
    /** of the skipped cells, the share that is "unanswered" (empty / -2) rather than "skipped" ((跳过) / -3) */
    unansweredShareOfSkipped: number;
    durationMedian: number;
    durationSigma: number;
    durationMin: number;
    durationMax: number;
    speederMin: number;
    speederMax: number;
  };
  metadata: {
    sources: { source: string; detail: string; weight: number }[];
    ipPrefixes: { prefix: string; place: string; weight: number }[];
    /** October days the survey is open */
    days: [number, number];
  };
  /** earlier names and short forms of roster units (current name → what a respondent typed) */
  formerNames: Record<string, string[]>;
  /** a label typed into a Likert cell that is not on the scale (the text-mode out-of-range flaw) */
  offScaleLabels: string[];
  /** out-of-range numbers typed into a Likert cell (number and score modes) */
  offScaleNumbers: number[];
  assessment: {
    /** correlation of a unit's business strength with its party-building outcome strength */
    businessCorrelation: number;
    /** units set to be strong in one and weak in the other (两张皮) */
    twoSkins: number;
    process: { mean: number; sd: number; min: number; max: number };
    outcome: { mean: number; spread: number; trend: number; noise: number; min: number; max: number };
    business: { mean: number; spread: number; trend: number; noise: number; min: number; max: number };
    /** how much a unit's party-building outcome strength (z) raises its cadres' mean on a dimension */
    surveyLinks: Record<string, number>;
  };
}

export const POPULATION_MODEL: PopulationModel = {
  baseYear: 2019,
  roleAttribute: "role",
  respondents: {
    baseYear: 565,
    later: [520, 640],
    responseRate: { mean: 0.69, sd: 0.16, min: 0.25, max: 1 },
    minSmallUnits: 6,
    smallGroup: 5
  },
  causes: ["cognition", "capacity", "mechanisms"],
  dimensions: {
    // 工作成效: rated well, rising with the causes
    stance: { mean: 3.9, trend: 0.04, drivers: { cognition: 0.5 } },
    content: { mean: 3.8, trend: 0.04, drivers: { capacity: 0.4, cognition: 0.1 } },
    forms: { mean: 3.7, trend: 0.05, drivers: { capacity: 0.3, mechanisms: 0.2 } },
    // 存在问题 (higher = more severe): falling slowly, the lower the causes the worse
    attitude: { mean: 3.2, trend: -0.05, drivers: { cognition: -0.5, capacity: -0.15 } },
    positioning: { mean: 3.25, trend: -0.05, drivers: { capacity: -0.35, mechanisms: -0.25 } },
    methods: { mean: 3.15, trend: -0.04, drivers: { capacity: -0.4, cognition: -0.15 } },
    // 原因剖析: mechanisms the weakest
    cognition: { mean: 3.6, trend: 0.05 },
    capacity: { mean: 3.3, trend: 0.06 },
    mechanisms: { mean: 2.9, trend: 0.08 },
    // 对策需求: high need; the weaker a cause, the stronger the need for its measure
    booster: { mean: 3.95, trend: -0.01, drivers: { cognition: -0.25 } },
    adhesive: { mean: 4.0, trend: -0.01, drivers: { capacity: -0.25 } },
    strengthener: { mean: 4.1, trend: -0.02, drivers: { mechanisms: -0.3 } }
  },
  subdimensions: {
    ach_link: 0.15,
    ach_shortfall: -0.05,
    ach_study: -0.1,
    ach_carriers: 0.1,
    ach_cohesion: -0.05,
    ach_effect: -0.05,
    ach_model: 0.05,
    ach_learning: 0.05,
    ach_digital: -0.1,
    prb_initiative: 0.05,
    prb_enthusiasm: 0,
    prb_consciousness: -0.05,
    prb_goals: 0,
    prb_formalism: 0.2,
    prb_closed: -0.2,
    prb_old_ways: 0.05,
    prb_old_tunes: 0.05,
    prb_showy: -0.1,
    cog_vague: 0.05,
    cog_value: -0.1,
    cog_perfunctory: 0.05,
    cap_business: -0.1,
    cap_service: 0.05,
    cap_integration: 0.05,
    mech_responsibility: 0.15,
    mech_assessment: -0.25,
    mech_incentive: 0.1,
    mea_political: -0.1,
    mea_central: 0.05,
    mea_innovation: 0.05,
    mea_ideas: 0,
    mea_goals: 0,
    mea_resources: 0,
    mea_duty_awareness: -0.05,
    mea_duty_mechanism: 0.1,
    mea_duty_delivery: -0.05
  },
  noise: { general: 0.3, dimension: 0.35, unit: 0.1, item: 0.55 },
  roleEffects: {
    "党组（党委）书记": 0.17,
    "机关党委（党总支）书记": 0.14,
    党支部书记: 0.04,
    专职党务干部: 0,
    兼职党务干部: -0.14
  },
  roleEffectBySection: { achievements: 0.8, problems: -0.5, causes: 1, measures: 0 },
  categoryEffects: {
    垂管单位: { mechanisms: 0.25, capacity: 0.05, forms: 0.15 },
    国有企业: { mechanisms: 0.2, capacity: 0.05 },
    事业单位: { mechanisms: -0.2, capacity: -0.05, positioning: 0.1 },
    群团组织: { mechanisms: -0.05 },
    党政机关: {}
  },
  choices: {
    // role
    "党组（党委）书记": { share: 0.07 },
    "机关党委（党总支）书记": { share: 0.11 },
    党支部书记: { share: 0.3 },
    专职党务干部: { share: 0.2 },
    兼职党务干部: { share: 0.32 },
    // tenure
    不满1年: { share: 0.1 },
    "1-3年": { share: 0.26 },
    "3-5年": { share: 0.24 },
    "5-10年": { share: 0.24 },
    "10年以上": { share: 0.16 },
    // age band
    "35岁及以下": { share: 0.24 },
    "36-45岁": { share: 0.34 },
    "46-55岁": { share: 0.32 },
    "56岁及以上": { share: 0.1 },
    // what assessment looks at: process-heavy in 2019, slowly shifting
    台帐资料和活动记录: { share: 0.5, trend: -0.04 },
    工作实效和对业务的推动: { share: 0.14, trend: 0.025 },
    两者兼顾: { share: 0.26, trend: 0.015 },
    说不清: { share: 0.1, trend: 0 }
  },
  multiple: {
    shares: {
      主题大讲堂: 0.55,
      攻坚党支部: 0.32,
      党员领导干部包保责任制: 0.4,
      一支部一品牌: 0.35,
      "“党建+业务”工作模式": 0.3,
      微党课: 0.45,
      指尖课堂: 0.18,
      智慧党建APP: 0.15
    },
    defaultShare: 0.3,
    trend: 0.035,
    maxShare: 0.9,
    otherShare: 0.04,
    otherFillIns: [
      "党员志愿服务",
      "红色教育基地参观",
      "主题党日+业务攻坚",
      "机关与社区结对共建",
      "党员先锋岗",
      "“三亮三比”活动",
      "业务技能比武",
      "读书分享会",
      "支部书记讲党课",
      "党建联盟"
    ]
  },
  number: { mean: 4.5, trend: 0.3, drivers: { capacity: 0.35 }, max: 20, unanswered: 0.01 },
  openText: {
    answered: 0.45,
    suggestions: [
      "加强党务干部业务培训",
      "建议考核多看实际效果，少看台帐",
      "党建工作要围绕中心工作开展",
      "希望多组织交流学习",
      "把党建考核和业务考核结合起来",
      "建立激励机制，干好干坏要不一样",
      "减少形式主义，不要层层要材料",
      "党务干部配备要充实，兼职太多精力不够",
      "多开展结合业务的主题党日活动",
      "领导要重视，书记要带头",
      "考核指标要体现行业特点",
      "无",
      "没有",
      "暂无",
      "建议增加党建经费保障",
      "希望上级多来基层调研指导",
      "党建和业务同部署同考核",
      "加强党务干部队伍建设，提高待遇",
      "推广好的经验做法",
      "利用信息化手段减轻台帐负担",
      "把软指标变成硬杠杠",
      "党建活动要接地气，不搞花架子",
      "建议党务干部定期轮岗到业务处室",
      "很好"
    ],
    namesUnit: 0.03,
    namesPerson: 0.02,
    unitTemplates: [
      "{unit}的做法值得推广",
      "建议学习{unit}“党建+业务”的经验",
      "我们{unit}党建经费不足",
      "{unit}考核只看台帐，建议改进"
    ],
    personTemplates: [
      "{person}书记很重视党建，建议推广",
      "希望{person}局长多关心党务工作",
      "我是{person}，建议增加培训名额",
      "{person}同志兼职太多，党务工作顾不过来"
    ],
    personNames: ["王建军", "李志刚", "张丽华", "刘海燕", "陈永明", "赵红梅", "孙立新", "周晓东"]
  },
  quality: {
    speeders: 0.03,
    straightliners: 0.02,
    likertSkipped: 0.015,
    unansweredShareOfSkipped: 0.3,
    durationMedian: 420,
    durationSigma: 0.4,
    durationMin: 95,
    durationMax: 2400,
    speederMin: 31,
    speederMax: 89
  },
  metadata: {
    sources: [
      { source: "手机提交", detail: "直接访问", weight: 0.45 },
      { source: "微信", detail: "N/A", weight: 0.4 },
      { source: "链接", detail: "直接访问", weight: 0.15 }
    ],
    ipPrefixes: [
      { prefix: "123.180", place: "河北-石家庄", weight: 0.3 },
      { prefix: "106.117", place: "河北-石家庄", weight: 0.2 },
      { prefix: "121.28", place: "河北-石家庄", weight: 0.15 },
      { prefix: "27.186", place: "河北-石家庄", weight: 0.15 },
      { prefix: "60.6", place: "河北-保定", weight: 0.05 },
      { prefix: "110.228", place: "河北-邢台", weight: 0.04 },
      { prefix: "223.104", place: "河北-未知", weight: 0.06 },
      { prefix: "111.194", place: "北京-北京", weight: 0.05 }
    ],
    days: [8, 31]
  },
  formerNames: {
    市自然资源和规划局: ["市国土资源局"],
    市卫生健康委员会: ["市卫生和计划生育委员会", "市卫健委"],
    市市场监督管理局: ["市工商行政管理局"],
    市生态环境局: ["市环境保护局"],
    市农业农村局: ["市农业局"],
    市文化广电和旅游局: ["市文化广电新闻出版局"],
    市应急管理局: ["市安全生产监督管理局"],
    市发展和改革委员会: ["市发改委"],
    市人力资源和社会保障局: ["市人社局"],
    市住房和城乡建设局: ["市住建局"],
    市人民政府国有资产监督管理委员会: ["市国资委"],
    市税务局: ["市地方税务局", "市国家税务局"],
    市城市管理综合行政执法局: ["市城市管理委员会"]
  },
  offScaleLabels: ["比较同意", "基本同意", "不太同意"],
  offScaleNumbers: [6, 33, 44, 55],
  assessment: {
    businessCorrelation: 0.3,
    twoSkins: 4,
    process: { mean: 92, sd: 3, min: 85, max: 98 },
    outcome: { mean: 78, spread: 7, trend: 0.8, noise: 2.5, min: 50, max: 99 },
    business: { mean: 83, spread: 6, trend: 0.4, noise: 2.5, min: 55, max: 100 },
    surveyLinks: { mechanisms: 0.12, forms: 0.06 }
  }
};

/** The model's mean of a dimension's keyed score (1–5) in a year, over the whole population. */
export function modelMean(model: PopulationModel, dimension: string, year: number): number {
  const d = model.dimensions[dimension];
  if (!d) throw new Error(`the population model has no dimension ${dimension}`);
  return d.mean + d.trend * (year - model.baseYear);
}

/** The share of a choice option in a year (relative weight before normalisation). */
export function choiceShare(model: PopulationModel, label: string, year: number): number | undefined {
  const c = model.choices[label];
  if (!c) return undefined;
  return Math.max(0.01, c.share + (c.trend ?? 0) * (year - model.baseYear));
}
