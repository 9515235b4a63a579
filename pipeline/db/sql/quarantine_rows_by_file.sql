-- quarantine_rows_by_file: every reason a row of a survey export was quarantined, from the store's quarantine files
-- (the quarantine view lists those the manifest names): file, row, column, kind (NULL in files written before the
-- kind column), reason; one row per reason, so a row with two problems appears twice. The cells column, which holds the rejected answers, is never read.
SELECT file, row::INTEGER AS row, "column", kind, reason, quarantine_file
FROM quarantine
ORDER BY quarantine_file, row, "column";
