-- Issue 12: a tamper-evident journal. Each row carries its position in its instance's journal (1, 2, 3 … without
-- gaps, unique) and a SHA-256 over its content and the previous row's hash (JournalChain in the engine), so an edited,
-- inserted or removed row breaks the chain that GET /api/v1/instances/{id}/journal/verify recomputes.
-- Rows written before this migration get their positions here; their hash stays NULL (not covered, and reported so).
ALTER TABLE workflow_journal ADD COLUMN position INTEGER NULL;
ALTER TABLE workflow_journal ADD COLUMN hash TEXT NULL;

DROP TRIGGER tr_workflow_journal_no_update;
UPDATE workflow_journal SET position = (
    SELECT COUNT(*) FROM workflow_journal earlier
    WHERE earlier.instance_id = workflow_journal.instance_id AND earlier.sequence <= workflow_journal.sequence);
CREATE TRIGGER tr_workflow_journal_no_update BEFORE UPDATE ON workflow_journal
BEGIN
    SELECT RAISE(ABORT, 'workflow_journal is append-only: UPDATE is refused');
END;

CREATE UNIQUE INDEX ux_workflow_journal_position ON workflow_journal (instance_id, position);
