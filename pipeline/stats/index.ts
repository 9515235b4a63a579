// The statistics library: pure functions, no dependencies. See each module's header for its conventions.
export * from "./basics.ts";
export * from "./distributions.ts";
export * from "./descriptives.ts";
export * from "./proportions.ts";
export * from "./reliability.ts";
export * from "./change.ts";
export * from "./crosstab.ts";
export * from "./drivers.ts";
export * from "./categorical.ts";
export * from "./multiplicity.ts";
export * from "./unit-vs-rest.ts";
export * from "./funnel.ts";
export * from "./two-skins.ts";
export * from "./ratio.ts";
