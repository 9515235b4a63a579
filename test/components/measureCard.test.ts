// @vitest-environment jsdom
import { describe, expect, it } from "vitest";
import {
  MeasureCard,
  evidenceSentence,
  measureLabel,
  reasonWords,
  type EvidenceView,
  type MeasureView
} from "../../src/components/measureCard.ts";

const evidence = (extra: Partial<EvidenceView>): EvidenceView => ({
  code: "mech_assessment",
  name: "考核机制",
  sectionName: "原因剖析",
  direction: "higher_is_better",
  index: 52.9,
  indexLow: 51.2,
  indexHigh: 54.6,
  agreeShare: 0.16,
  indexChange: 2.3,
  changeSignificant: false,
  rankInSection: 1,
  sectionSize: 9,
  reasons: ["weakest"],
  suppressed: false,
  ...extra
});

describe("evidenceSentence", () => {
  it("writes the index, its interval, the share agreeing, the position and the change", () => {
    expect(evidenceSentence(evidence({}), { changeFrom: "2024年" })).toBe(
      "“考核机制”（原因剖析）指数52.9（误差范围51.2–54.6），持认同态度的占16%，在原因剖析九个方面中最为薄弱；与2024年基本持平（变化不明显）。"
    );
  });

  it("speaks of a problem's severity, and of a significant worsening", () => {
    const text = evidenceSentence(
      evidence({
        name: "导向偏离主题",
        sectionName: "存在问题",
        direction: "higher_is_worse",
        rankInSection: 2,
        indexChange: 3.1,
        changeSignificant: true
      }),
      { changeFrom: "2024年" }
    );
    expect(text).toContain("认为存在该问题的占16%，在存在问题九个方面中突出程度排第二；较2024年上升 3.1，有所变差。");
    // Beside the problem's index: which way it reads.
    expect(text).toContain("指数52.9（误差范围51.2–54.6；指数越高，问题越突出）");
  });

  it("calls a problem among the most serious, not the weakest", () => {
    expect(reasonWords("weakest", "higher_is_worse")).toBe("属本部分最突出的三分之一");
    expect(reasonWords("weakest", "higher_is_better")).toBe("属本部分最薄弱的三分之一");
  });

  it("says only that a suppressed group is too small", () => {
    expect(evidenceSentence(evidence({ suppressed: true, index: null }))).toBe(
      "“考核机制”（原因剖析）：样本量不足，已隐去。"
    );
  });
});

describe("MeasureCard", () => {
  const measure: MeasureView = {
    code: "strengthener",
    name: "强化剂",
    summary: "完善制度，落实责任",
    rank: 1,
    need: 48.01,
    applies: true,
    demandShare: 0.64,
    demandSuppressed: false,
    parts: [
      { code: "duty_mechanism", name: "强化责任机制", need: 55.1, rank: 1, applies: true, evidence: [evidence({})] },
      {
        code: "duty_delivery",
        name: "强化责任落实",
        need: 40.2,
        rank: 4,
        applies: false,
        evidence: [evidence({ name: "激励机制", rankInSection: 5, reasons: [] })]
      }
    ]
  };

  it("shows the rank, the need, the demand and each part with its evidence, in the order given", () => {
    const card = MeasureCard(measure, { changeFrom: "2024年", basisName: "原因剖析", document });
    expect(card.querySelector("h2")!.textContent).toBe("强化剂 优先顺序第一");
    expect(card.querySelector(".measure-card__need")!.textContent).toBe(
      "需求指数 48.0（所针对原因剖析各方面的平均差距）· 建议优先采取"
    );
    expect(card.querySelector(".measure-card__demand")!.textContent).toBe(
      "64%的受访干部认为本单位需要采取这方面的措施。"
    );
    const parts = [...card.querySelectorAll("li.measure-part")];
    expect(parts.map((p) => (p as HTMLElement).dataset.part)).toEqual(["duty_mechanism", "duty_delivery"]);
    expect(parts[0].querySelector(".measure-part__badge")!.textContent).toBe("需加强 · 差距 55.1");
    expect(parts[0].querySelector(".measure-part__why")!.textContent).toBe(
      "依据：“考核机制”属本部分最薄弱的三分之一。"
    );
    expect(parts[1].querySelector(".measure-part__badge")!.textContent).toBe("可巩固 · 差距 40.2");
    expect(parts[1].querySelector(".measure-part__why")).toBeNull();
  });

  it("says 建议优先采取 of the first measure only: the label tells the measures apart", () => {
    expect(measureLabel({ rank: 1, applies: true })).toBe("建议优先采取");
    expect(measureLabel({ rank: 2, applies: true })).toBe("有需加强的环节");
    expect(measureLabel({ rank: 3, applies: false })).toBe("当前不属突出短板");
    const second = MeasureCard({ ...measure, rank: 2 }, { document });
    expect(second.querySelector("h2")!.textContent).toBe("强化剂 优先顺序第二");
    expect(second.querySelector(".measure-card__need")!.textContent).not.toContain("建议优先采取");
  });
});
