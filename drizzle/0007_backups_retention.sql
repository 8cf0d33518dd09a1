CREATE TABLE "backups" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"trigger" text NOT NULL,
	"slot" timestamp with time zone,
	"started_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone,
	"ok" boolean,
	"file" text,
	"bytes" bigint,
	"sha256" text,
	"error" text
);
--> statement-breakpoint
ALTER TABLE "rounds" ADD COLUMN "answers_purged_at" timestamp with time zone;--> statement-breakpoint
CREATE UNIQUE INDEX "backups_slot_index" ON "backups" USING btree ("slot");--> statement-breakpoint
CREATE INDEX "backups_ok_finished_at_index" ON "backups" USING btree ("ok","finished_at");