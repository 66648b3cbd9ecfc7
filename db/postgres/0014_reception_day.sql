-- Placeholder: filled in by the issue-9 work on 0014_reception_day.
SELECT 1;
