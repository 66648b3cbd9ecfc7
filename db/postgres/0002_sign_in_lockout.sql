-- Repeated wrong passwords lock an account for a while (graded-protection baseline, GB/T 22239-2019).
ALTER TABLE users ADD COLUMN failed_sign_ins integer NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN locked_until timestamptz NULL;
