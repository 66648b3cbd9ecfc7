-- Issue 12: a tamper-evident journal. Each row carries its position in its instance's journal (1, 2, 3 … without
-- gaps, unique) and a SHA-256 over its content and the previous row's hash (JournalChain in the engine), so an edited,
-- inserted or removed row breaks the chain that GET /api/v1/instances/{id}/journal/verify recomputes.
-- Rows written before this migration get their positions here; their hash stays NULL (not covered, and reported so).
ALTER TABLE workflow_journal ADD position int NULL, hash char(64) NULL;
GO
DISABLE TRIGGER tr_workflow_journal_append_only ON workflow_journal;
GO
WITH numbered AS (
    SELECT position, row_number() OVER (PARTITION BY instance_id ORDER BY sequence) AS numbered_position FROM workflow_journal)
UPDATE numbered SET position = numbered_position;
GO
ENABLE TRIGGER tr_workflow_journal_append_only ON workflow_journal;
GO
CREATE UNIQUE INDEX ux_workflow_journal_position ON workflow_journal (instance_id, position) WHERE position IS NOT NULL;
