-- Custom SQL migration file, put your code below! --
-- link_totals (lib/db/schema/counts.ts) kept exact by every statement that writes links.
-- Inserts and deletes (issuing links, sealing's rewrite) add or subtract per statement at shard 0;
-- a change to one link (a submission taking a place, a test-mode reset) lands on a random shard.
-- A round deleted with its links takes its totals with it (the foreign key), so deletes skip it.
CREATE FUNCTION link_totals_on_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO link_totals AS t (round_id, form_id, school_id, class_id, shard, links, places, used)
  SELECT l.round_id, l.form_id, l.school_id, l.class_id, 0, count(*)::int, sum(l.capacity)::int, sum(l.used_count)::int
  FROM new_links l WHERE NOT l.revoked
  GROUP BY l.round_id, l.school_id, l.form_id, l.class_id
  ORDER BY l.round_id, l.school_id, l.form_id, l.class_id
  ON CONFLICT ON CONSTRAINT "link_totals_roundId_schoolId_formId_classId_shard_unique"
  DO UPDATE SET links = t.links + excluded.links, places = t.places + excluded.places, used = t.used + excluded.used;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE FUNCTION link_totals_on_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO link_totals AS t (round_id, form_id, school_id, class_id, shard, links, places, used)
  SELECT l.round_id, l.form_id, l.school_id, l.class_id, 0, -count(*)::int, -sum(l.capacity)::int, -sum(l.used_count)::int
  FROM old_links l WHERE NOT l.revoked AND EXISTS (SELECT 1 FROM rounds r WHERE r.id = l.round_id)
  GROUP BY l.round_id, l.school_id, l.form_id, l.class_id
  ORDER BY l.round_id, l.school_id, l.form_id, l.class_id
  ON CONFLICT ON CONSTRAINT "link_totals_roundId_schoolId_formId_classId_shard_unique"
  DO UPDATE SET links = t.links + excluded.links, places = t.places + excluded.places, used = t.used + excluded.used;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE FUNCTION link_totals_on_update() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  s smallint := floor(random() * 16);
BEGIN
  IF (OLD.round_id, OLD.form_id, OLD.school_id, OLD.class_id) IS NOT DISTINCT FROM (NEW.round_id, NEW.form_id, NEW.school_id, NEW.class_id) THEN
    -- the usual case, one row: the difference
    INSERT INTO link_totals AS t (round_id, form_id, school_id, class_id, shard, links, places, used)
    VALUES (NEW.round_id, NEW.form_id, NEW.school_id, NEW.class_id, s,
      (NOT NEW.revoked)::int - (NOT OLD.revoked)::int,
      CASE WHEN NEW.revoked THEN 0 ELSE NEW.capacity END - CASE WHEN OLD.revoked THEN 0 ELSE OLD.capacity END,
      CASE WHEN NEW.revoked THEN 0 ELSE NEW.used_count END - CASE WHEN OLD.revoked THEN 0 ELSE OLD.used_count END)
    ON CONFLICT ON CONSTRAINT "link_totals_roundId_schoolId_formId_classId_shard_unique"
    DO UPDATE SET links = t.links + excluded.links, places = t.places + excluded.places, used = t.used + excluded.used;
  ELSE
    -- moved to another school, class or form: out of the old key, into the new one
    INSERT INTO link_totals AS t (round_id, form_id, school_id, class_id, shard, links, places, used)
    SELECT OLD.round_id, OLD.form_id, OLD.school_id, OLD.class_id, s, -1, -OLD.capacity, -OLD.used_count WHERE NOT OLD.revoked
    ON CONFLICT ON CONSTRAINT "link_totals_roundId_schoolId_formId_classId_shard_unique"
    DO UPDATE SET links = t.links + excluded.links, places = t.places + excluded.places, used = t.used + excluded.used;
    INSERT INTO link_totals AS t (round_id, form_id, school_id, class_id, shard, links, places, used)
    SELECT NEW.round_id, NEW.form_id, NEW.school_id, NEW.class_id, s, 1, NEW.capacity, NEW.used_count WHERE NOT NEW.revoked
    ON CONFLICT ON CONSTRAINT "link_totals_roundId_schoolId_formId_classId_shard_unique"
    DO UPDATE SET links = t.links + excluded.links, places = t.places + excluded.places, used = t.used + excluded.used;
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER link_totals_on_insert AFTER INSERT ON links REFERENCING NEW TABLE AS new_links
  FOR EACH STATEMENT EXECUTE FUNCTION link_totals_on_insert();
--> statement-breakpoint
CREATE TRIGGER link_totals_on_delete AFTER DELETE ON links REFERENCING OLD TABLE AS old_links
  FOR EACH STATEMENT EXECUTE FUNCTION link_totals_on_delete();
--> statement-breakpoint
CREATE TRIGGER link_totals_on_update AFTER UPDATE ON links FOR EACH ROW
  WHEN ((OLD.round_id, OLD.form_id, OLD.school_id, OLD.class_id, OLD.capacity, OLD.used_count, OLD.revoked)
    IS DISTINCT FROM (NEW.round_id, NEW.form_id, NEW.school_id, NEW.class_id, NEW.capacity, NEW.used_count, NEW.revoked))
  EXECUTE FUNCTION link_totals_on_update();
--> statement-breakpoint
-- the links that exist already
INSERT INTO link_totals (round_id, form_id, school_id, class_id, shard, links, places, used)
SELECT round_id, form_id, school_id, class_id, 0, count(*)::int, sum(capacity)::int, sum(used_count)::int
FROM links WHERE NOT revoked GROUP BY round_id, form_id, school_id, class_id;
