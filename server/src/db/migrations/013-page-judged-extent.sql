-- 013: how far each page load's stored judgement reaches, so that a batch which cannot change it
-- (changes and scrolls long after the last click, field or error: a live dashboard left open) is not
-- judged again over the whole page (server/src/analysis/judgement-reach.ts).
-- judged_through: client ms of the latest signal the stored judgement saw. last_active_at: client ms
-- of its latest signal other than a change or a scroll. judged_batches: how many of the page's batches it
-- saw (a long live page is judged again once it has grown by a tenth). NULL: the page is judged afresh.
ALTER TABLE pages ADD COLUMN judged_through INTEGER;
ALTER TABLE pages ADD COLUMN last_active_at INTEGER;
ALTER TABLE pages ADD COLUMN judged_batches INTEGER;
