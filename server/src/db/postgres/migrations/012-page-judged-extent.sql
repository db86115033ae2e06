-- 012: how far each page load's stored judgement reaches (SQLite's 013): a batch that cannot change
-- it is not judged again over the whole page (server/src/analysis/judgement-reach.ts).
-- judged_through: client ms of the latest signal the stored judgement saw. last_active_at: client ms
-- of its latest signal other than a change or a scroll. judged_batches: how many of the page's batches it
-- saw (a long live page is judged again once it has grown by a tenth). NULL: the page is judged afresh.
ALTER TABLE pages ADD COLUMN judged_through bigint;
ALTER TABLE pages ADD COLUMN last_active_at bigint;
ALTER TABLE pages ADD COLUMN judged_batches integer;
