CREATE TABLE "link_totals" (
	"round_id" uuid NOT NULL,
	"form_id" uuid NOT NULL,
	"school_id" uuid NOT NULL,
	"class_id" uuid,
	"shard" smallint NOT NULL,
	"links" integer NOT NULL,
	"places" integer NOT NULL,
	"used" integer NOT NULL,
	CONSTRAINT "link_totals_roundId_schoolId_formId_classId_shard_unique" UNIQUE NULLS NOT DISTINCT("round_id","school_id","form_id","class_id","shard")
);
--> statement-breakpoint
ALTER TABLE "link_totals" ADD CONSTRAINT "link_totals_round_id_rounds_id_fk" FOREIGN KEY ("round_id") REFERENCES "public"."rounds"("id") ON DELETE cascade ON UPDATE no action;