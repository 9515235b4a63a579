// Funnel plots for comparing units (Spiegelhalter 2005, "Funnel plots for comparing institutional performance",
// Statistics in Medicine 24:1185–1202): each unit's mean score against its number of respondents, with control
// limits around the target that narrow as n grows. A league table ranks small units by their noise; the funnel
// shows which units differ from the target by more than chance at their size would allow.
// The limits are target ± z·sd/√n with z the exact normal quantiles of 0.975 (95%) and 0.999 (99.8%), which the
// paper rounds to 1.96 and 3.09: with the exact ones "outside the 95% limits" is the same statement as p < 0.05.
// sd is the within-unit SD of the score (e.g. the group's respondent-level SD) and is taken as known, as in the paper;
// the limits are not clipped to the scale's range (a chart clips its drawing).
import { normalCdf, normalQuantile } from "./distributions.ts";

/** z of the 95% limits, qnorm(0.975) = 1.959963984540054. */
export const FUNNEL_Z95 = normalQuantile(0.975);
/** z of the 99.8% limits, qnorm(0.999) = 3.090232306167813. */
export const FUNNEL_Z998 = normalQuantile(0.999);

export interface FunnelLimits {
  n: number;
  lower95: number;
  upper95: number;
  lower998: number;
  upper998: number;
}

/** The control limits at n respondents: call it over a range of n to draw the funnel. */
export function funnelLimits(target: number, sd: number, n: number): FunnelLimits {
  const h = standardError(sd, n);
  return {
    n,
    lower95: target - FUNNEL_Z95 * h,
    upper95: target + FUNNEL_Z95 * h,
    lower998: target - FUNNEL_Z998 * h,
    upper998: target + FUNNEL_Z998 * h
  };
}

/** Where a unit lies: inside both limits, beyond the 95% limit only, or beyond the 99.8% limit (a limit itself is inside). */
export type FunnelZone = "inside" | "above95" | "below95" | "above998" | "below998";

export interface FunnelPosition {
  /** (mean − target) / (sd/√n). */
  z: number;
  /** Two-sided normal p of the deviation, 2·Φ(−|z|): the p to adjust over the units (pAdjust, BH). */
  p: number;
  zone: FunnelZone;
}

/** A unit's deviation from the target, its p and its zone. */
export function funnelPosition(target: number, sd: number, unit: { n: number; mean: number }): FunnelPosition {
  const z = (unit.mean - target) / standardError(sd, unit.n);
  const side = z > 0 ? "above" : "below";
  const zone: FunnelZone = Math.abs(z) > FUNNEL_Z998 ? `${side}998` : Math.abs(z) > FUNNEL_Z95 ? `${side}95` : "inside";
  return { z, p: 2 * normalCdf(-Math.abs(z)), zone };
}

function standardError(sd: number, n: number): number {
  if (!(sd > 0) || !Number.isFinite(sd)) throw new RangeError(`a funnel needs a positive within-unit SD, got ${sd}`);
  if (!(n >= 1)) throw new RangeError(`a funnel point needs n ≥ 1, got ${n}`);
  return sd / Math.sqrt(n);
}
