-- respondent_numbers: one row per respondent of the store, numbered from 1 in the order of their ids, with what the
-- scale queries need of them (wave, unit, the quality flags). keyed_likert_answer_rows and respondent_profiles name
-- respondents by this number, so that the scale queries group a wave's answers per respondent, and join the sums to
-- the profiles and units, on a 32-bit integer instead of the text id (`<file sha>-<序号>`): at 10 M the four
-- sections' scale_scores_by_wave_group took 29.4 s a wave on the ids and 21.1 s on the numbers (docs/scale.md,
-- "The respondents as numbers"). The ids are unique in the store, so the numbering is the same at every run.
-- materialize: per wave
CREATE OR REPLACE TEMP VIEW respondent_numbers AS
SELECT wave, respondent_id, (row_number() OVER (ORDER BY respondent_id))::INTEGER AS respondent_no, unit,
       is_speeder, is_straightliner
FROM respondents;
