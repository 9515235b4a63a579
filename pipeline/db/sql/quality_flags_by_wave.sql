-- quality_flags_by_wave: per wave, the accepted respondents, how many the ingest flagged as speeders (所用时间 under
-- the codebook's quality.minDurationSeconds) or straight-liners (one score on every Likert item), either, and the
-- median and 10th percentile of 所用时间 in seconds.
-- cache: per wave
SELECT wave,
       count(*)::INTEGER AS respondents,
       (count(*) FILTER (WHERE is_speeder))::INTEGER AS speeders,
       (count(*) FILTER (WHERE is_straightliner))::INTEGER AS straightliners,
       (count(*) FILTER (WHERE is_speeder OR is_straightliner))::INTEGER AS flagged,
       median(duration_s) AS median_duration,
       quantile_cont(duration_s, 0.1) AS p10_duration
FROM respondents
GROUP BY wave
ORDER BY wave;
