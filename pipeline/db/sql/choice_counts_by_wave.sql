-- choice_counts_by_wave: for one single-choice question ($question), per wave, how many respondents chose each option,
-- and how many answered it at all (n). Respondents the codebook's quality.excludeFromScores names (speeders,
-- straight-liners) are left out, as in every scale statistic.
-- cache: per wave
WITH eligible AS (
  SELECT r.wave, r.respondent_id
  FROM respondents r CROSS JOIN cb_quality q
  WHERE NOT (r.is_speeder AND q.exclude_speeders) AND NOT (r.is_straightliner AND q.exclude_straightliners)
), chosen AS (
  SELECT e.wave, a.option, count(*)::INTEGER AS count
  FROM answers a JOIN eligible e ON e.respondent_id = a.respondent_id
  WHERE a.question = $question AND a.option IS NOT NULL
  GROUP BY e.wave, a.option
)
SELECT wave, option, count, (sum(count) OVER (PARTITION BY wave))::INTEGER AS n
FROM chosen
ORDER BY wave, option;
