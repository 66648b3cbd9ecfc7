-- Placeholder: filled in by the issue-9 work on 0012_audit_cycle.
SELECT 1;
