// How the scales of one section go with the dimensions of another across respondents, per wave: e.g.
// drivers/causes-problems.json, the causes (原因剖析) against the problems (存在问题). Pearson r with CI per
// predictor scale and outcome dimension, and a standardized regression of each outcome on the predictor dimensions
// (pipeline/db/sql/scale_correlations_by_wave.sql, aggregated in DuckDB → pipeline/marts/driver-correlations.ts; only coefficients
// are written, small waves suppressed). Every page showing them carries the caveat that correlation is not cause.
import { publishDataFile } from "../../../pipeline/publish/data-files.ts";

await publishDataFile("drivers/[predictors]-[outcomes].json");
