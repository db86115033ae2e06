-- 005: abandoned forms: what became of each form visitors started, per page load, kept by the
-- analysis pass (SQLite 007).

-- A form (its recorded selector) on one page URL (origin and path) of one page load. A row exists when
-- the visitor started the form there or a submit of it went through. abandoned: the detector flagged
-- it; submitted: a submit went through. ts (client clock, ms): the last abandonment's moment, else the
-- first submit that went through. drop_off_field: the last abandonment's last touched field.
CREATE TABLE form_outcomes (
  site_id text NOT NULL,
  session_id text NOT NULL,
  page_id text NOT NULL,
  form text NOT NULL,
  path text NOT NULL,
  submitted boolean NOT NULL,
  abandoned boolean NOT NULL,
  ts bigint NOT NULL,
  drop_off_field text,
  CHECK (submitted OR abandoned),
  PRIMARY KEY (site_id, session_id, page_id, form, path),
  FOREIGN KEY (site_id, session_id, page_id) REFERENCES pages (site_id, session_id, page_id) ON DELETE CASCADE
);
CREATE INDEX form_outcomes_form ON form_outcomes (site_id, form, path);

-- The fields an abandoning visitor touched, with their labels ('' when none).
CREATE TABLE form_outcome_fields (
  site_id text NOT NULL,
  session_id text NOT NULL,
  page_id text NOT NULL,
  form text NOT NULL,
  path text NOT NULL,
  field text NOT NULL,
  label text NOT NULL,
  PRIMARY KEY (site_id, session_id, page_id, form, path, field),
  FOREIGN KEY (site_id, session_id, page_id, form, path)
    REFERENCES form_outcomes (site_id, session_id, page_id, form, path) ON DELETE CASCADE
);

-- Each validation message an abandoning visitor saw on a field, once.
CREATE TABLE form_outcome_errors (
  site_id text NOT NULL,
  session_id text NOT NULL,
  page_id text NOT NULL,
  form text NOT NULL,
  path text NOT NULL,
  field text NOT NULL,
  message text NOT NULL,
  PRIMARY KEY (site_id, session_id, page_id, form, path, field, message),
  FOREIGN KEY (site_id, session_id, page_id, form, path)
    REFERENCES form_outcomes (site_id, session_id, page_id, form, path) ON DELETE CASCADE
);
