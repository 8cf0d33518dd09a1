CREATE TYPE "public"."assessment_component_subject" AS ENUM('staff', 'unit');--> statement-breakpoint
ALTER TYPE "public"."assessment_component_source" ADD VALUE 'unit_score';--> statement-breakpoint
ALTER TYPE "public"."assessment_component_source" ADD VALUE 'team_score';--> statement-breakpoint
ALTER TABLE "assessments" ALTER COLUMN "staff_id" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "regular_assessments" ALTER COLUMN "staff_id" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "assessment_components" ADD COLUMN "applies_to" "assessment_component_subject" DEFAULT 'staff' NOT NULL;--> statement-breakpoint
ALTER TABLE "assessments" ADD COLUMN "subject_unit_id" uuid;--> statement-breakpoint
ALTER TABLE "regular_assessments" ADD COLUMN "subject_unit_id" uuid;--> statement-breakpoint
ALTER TABLE "assessments" ADD CONSTRAINT "assessments_subject_unit_id_units_id_fk" FOREIGN KEY ("subject_unit_id") REFERENCES "public"."units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "regular_assessments" ADD CONSTRAINT "regular_assessments_subject_unit_id_units_id_fk" FOREIGN KEY ("subject_unit_id") REFERENCES "public"."units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "assessments_year_id_subject_unit_id_index" ON "assessments" USING btree ("year_id","subject_unit_id");--> statement-breakpoint
CREATE UNIQUE INDEX "regular_assessments_component_id_subject_unit_id_period_index" ON "regular_assessments" USING btree ("component_id","subject_unit_id","period");--> statement-breakpoint
ALTER TABLE "assessments" ADD CONSTRAINT "assessments_one_subject" CHECK (num_nonnulls("assessments"."staff_id", "assessments"."subject_unit_id") = 1);--> statement-breakpoint
ALTER TABLE "regular_assessments" ADD CONSTRAINT "regular_assessments_one_subject" CHECK (num_nonnulls("regular_assessments"."staff_id", "regular_assessments"."subject_unit_id") = 1);