CREATE TABLE "school_counts" (
	"round_id" uuid NOT NULL,
	"form_id" uuid NOT NULL,
	"school_id" uuid NOT NULL,
	"question" text NOT NULL,
	"row" text NOT NULL,
	"value" text NOT NULL,
	"dimension" text,
	"score" real,
	"excluded" boolean NOT NULL,
	"shard" smallint NOT NULL,
	"n" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE "subject_counts" (
	"round_id" uuid NOT NULL,
	"form_id" uuid NOT NULL,
	"school_id" uuid NOT NULL,
	"question" text NOT NULL,
	"row" text NOT NULL,
	"value" text NOT NULL,
	"dimension" text,
	"score" real,
	"excluded" boolean NOT NULL,
	"shard" smallint NOT NULL,
	"n" integer NOT NULL,
	"subject_type" text NOT NULL,
	"subject_id" uuid NOT NULL
);
--> statement-breakpoint
ALTER TABLE "rounds" ADD COLUMN "scoring" jsonb DEFAULT '{}'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "responses" ADD COLUMN "flag" text;--> statement-breakpoint
ALTER TABLE "school_counts" ADD CONSTRAINT "school_counts_round_id_rounds_id_fk" FOREIGN KEY ("round_id") REFERENCES "public"."rounds"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "subject_counts" ADD CONSTRAINT "subject_counts_round_id_rounds_id_fk" FOREIGN KEY ("round_id") REFERENCES "public"."rounds"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "school_counts_round_id_school_id_form_id_question_row_value_shard_index" ON "school_counts" USING btree ("round_id","school_id","form_id","question","row","value","shard");--> statement-breakpoint
CREATE UNIQUE INDEX "subject_counts_round_id_school_id_subject_id_form_id_question_row_value_shard_index" ON "subject_counts" USING btree ("round_id","school_id","subject_id","form_id","question","row","value","shard");--> statement-breakpoint
CREATE INDEX "subject_counts_round_id_subject_id_index" ON "subject_counts" USING btree ("round_id","subject_id");