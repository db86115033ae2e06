-- 007: abandoned forms: what became of each form visitors started, per page load, kept by the analysis pass.

-- A form (its recorded selector) on one page URL (origin and path) of one page load. A row exists when
-- the visitor started the form there (the form abandonment detector's rule: it flags only forms
-- started) or a submit of it went through: a started form is one that was abandoned, submitted, or
-- both. abandoned: the detector flagged it (left without a submit that went through); submitted: a
-- submit went through (the detector's submit judgement). ts (client clock, ms): the last
-- abandonment's moment, else the first submit that went through. drop_off_field: the last
-- abandonment's last touched field.
CREATE TABLE form_outcomes (
  session_id TEXT NOT NULL,
  page_id TEXT NOT NULL,
  form TEXT NOT NULL,
  path TEXT NOT NULL,
  site_id TEXT NOT NULL,
  submitted INTEGER NOT NULL CHECK (submitted IN (0, 1)),
  abandoned INTEGER NOT NULL CHECK (abandoned IN (0, 1)),
  ts INTEGER NOT NULL,
  drop_off_field TEXT,
  CHECK (submitted = 1 OR abandoned = 1),
  PRIMARY KEY (session_id, page_id, form, path),
  FOREIGN KEY (session_id, page_id) REFERENCES pages (session_id, page_id) ON DELETE CASCADE
) STRICT, WITHOUT ROWID;
CREATE INDEX form_outcomes_form ON form_outcomes (site_id, form, path);

-- The fields an abandoning visitor touched, with their labels ('' when none).
CREATE TABLE form_outcome_fields (
  session_id TEXT NOT NULL,
  page_id TEXT NOT NULL,
  form TEXT NOT NULL,
  path TEXT NOT NULL,
  field TEXT NOT NULL,
  label TEXT NOT NULL,
  PRIMARY KEY (session_id, page_id, form, path, field),
  FOREIGN KEY (session_id, page_id, form, path) REFERENCES form_outcomes (session_id, page_id, form, path) ON DELETE CASCADE
) STRICT, WITHOUT ROWID;

-- Each validation message an abandoning visitor saw on a field, once.
CREATE TABLE form_outcome_errors (
  session_id TEXT NOT NULL,
  page_id TEXT NOT NULL,
  form TEXT NOT NULL,
  path TEXT NOT NULL,
  field TEXT NOT NULL,
  message TEXT NOT NULL,
  PRIMARY KEY (session_id, page_id, form, path, field, message),
  FOREIGN KEY (session_id, page_id, form, path) REFERENCES form_outcomes (session_id, page_id, form, path) ON DELETE CASCADE
) STRICT, WITHOUT ROWID;

-- Batches stored before this migration get their pages judged again, so their forms are counted too.
INSERT INTO analysis_queue (session_id, seq, enqueued_at)
  SELECT session_id, seq, received_at FROM chunks ORDER BY received_at, session_id, seq
  ON CONFLICT (session_id, seq) DO NOTHING;
