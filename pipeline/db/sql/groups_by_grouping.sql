-- groups_by_grouping: the groups of every breakdown that has respondents, in codebook (option or roster) order.
-- cache: whole store
SELECT grouping, grp AS "group", min(grp_order) AS group_order
FROM respondent_groups
GROUP BY grouping, grp
ORDER BY grouping, group_order, "group";
