-- Placeholder: filled in by the issue-9 work on 0013_yearly_programmes.
SELECT 1;
