CREATE TYPE "public"."self_report_status" AS ENUM('draft', 'submitted', 'reviewed', 'returned');--> statement-breakpoint
ALTER TYPE "public"."link_kind" ADD VALUE 'account';--> statement-breakpoint
CREATE TABLE "self_reports" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"round_id" uuid NOT NULL,
	"form_id" uuid NOT NULL,
	"staff_id" uuid NOT NULL,
	"unit_id" uuid NOT NULL,
	"answers" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"problems" text DEFAULT '' NOT NULL,
	"measures" text DEFAULT '' NOT NULL,
	"commitments" text DEFAULT '' NOT NULL,
	"status" "self_report_status" DEFAULT 'draft' NOT NULL,
	"remark" text,
	"response_id" uuid,
	"submitted_at" timestamp with time zone,
	"reviewed_at" timestamp with time zone,
	"reviewed_by" uuid,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "self_reports" ADD CONSTRAINT "self_reports_round_id_rounds_id_fk" FOREIGN KEY ("round_id") REFERENCES "public"."rounds"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "self_reports" ADD CONSTRAINT "self_reports_form_id_round_forms_id_fk" FOREIGN KEY ("form_id") REFERENCES "public"."round_forms"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "self_reports" ADD CONSTRAINT "self_reports_staff_id_staff_id_fk" FOREIGN KEY ("staff_id") REFERENCES "public"."staff"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "self_reports" ADD CONSTRAINT "self_reports_unit_id_units_id_fk" FOREIGN KEY ("unit_id") REFERENCES "public"."units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "self_reports" ADD CONSTRAINT "self_reports_reviewed_by_users_id_fk" FOREIGN KEY ("reviewed_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "self_reports_form_id_staff_id_index" ON "self_reports" USING btree ("form_id","staff_id");--> statement-breakpoint
CREATE INDEX "self_reports_round_id_unit_id_index" ON "self_reports" USING btree ("round_id","unit_id");