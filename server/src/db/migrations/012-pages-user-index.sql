-- 012: erasing a person's data (DELETE /api/sites/:id/users/:userId) finds the sessions any page identified them in through an index, not by reading every page.
CREATE INDEX pages_user ON pages (user_id) WHERE user_id IS NOT NULL;
