-- Repeated wrong passwords lock an account for a while (graded-protection baseline, GB/T 22239-2019).
ALTER TABLE users ADD failed_sign_ins int NOT NULL CONSTRAINT df_users_failed_sign_ins DEFAULT 0;
ALTER TABLE users ADD locked_until datetimeoffset(7) NULL;
