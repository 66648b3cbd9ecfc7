-- Issue 12: a tamper-evident journal. Each row carries its position in its instance's journal (1, 2, 3 … without
-- gaps, unique) and a SHA-256 over its content and the previous row's hash (JournalChain in the engine), so an edited,
-- inserted or removed row breaks the chain that GET /api/v1/instances/{id}/journal/verify recomputes.
-- Rows written before this migration get their positions here; their hash stays NULL (not covered, and reported so).
ALTER TABLE workflow_journal ADD COLUMN position integer NULL;
ALTER TABLE workflow_journal ADD COLUMN hash char(64) NULL;

ALTER TABLE workflow_journal DISABLE TRIGGER tr_workflow_journal_append_only;
UPDATE workflow_journal j SET position = numbered.position
FROM (SELECT sequence, row_number() OVER (PARTITION BY instance_id ORDER BY sequence) AS position FROM workflow_journal) numbered
WHERE numbered.sequence = j.sequence;
ALTER TABLE workflow_journal ENABLE TRIGGER tr_workflow_journal_append_only;

CREATE UNIQUE INDEX ux_workflow_journal_position ON workflow_journal (instance_id, position);

-- The engine reads an instance's clocks by subject prefix (instance:{id}/) on every command: an index LIKE can use
-- whatever the database's collation (a plain b-tree serves LIKE only under the C collation).
CREATE INDEX ix_clocks_subject_pattern ON clocks (subject text_pattern_ops);
