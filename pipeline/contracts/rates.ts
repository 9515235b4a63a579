// Response rates (回收率) against the roster, as response-rates.json, the units index and 探索 publish them.
import { z } from "zod";
import { hiddenRowsCarryNothing } from "./scores.ts";

export const ResponseRateRowSchema = z
  .object({
    wave: z.int(),
    /** unit_pool: the units of a category the wave's pattern hides, together (本类其他单位). */
    level: z.enum(["all", "unit_category", "unit", "unit_pool"]),
    /** Roster unit code, category name, 全体, or `<category>·其他` for a pool. */
    code: z.string(),
    name: z.string(),
    category: z.string().nullable(),
    /** Cadres on the roster (of the unit, category, pool or all). */
    headcount: z.int().nonnegative(),
    /** Respondents who count (有效答卷); null when hidden. */
    n: z.int().nonnegative().nullable(),
    /** n / headcount (may exceed 1 when the roster is out of date). */
    rate: z.number().nonnegative().nullable(),
    suppressed: z.boolean()
  })
  .superRefine(hiddenRowsCarryNothing<{ suppressed: boolean } & Record<string, unknown>>(["n", "rate"]));
export type ResponseRateRow = z.infer<typeof ResponseRateRowSchema>;

export const ResponseRatesFileSchema = z.array(ResponseRateRowSchema);
