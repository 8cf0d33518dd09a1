CREATE TYPE "public"."assessment_year_status" AS ENUM('draft', 'announced', 'locked');--> statement-breakpoint
CREATE TYPE "public"."assessment_component_kind" AS ENUM('democratic', 'student', 'parent', 'regular', 'other');--> statement-breakpoint
CREATE TYPE "public"."assessment_component_source" AS ENUM('round_score', 'round_satisfaction', 'school_score', 'school_satisfaction', 'entries');--> statement-breakpoint
CREATE TYPE "public"."objection_status" AS ENUM('open', 'answered');--> statement-breakpoint
CREATE TABLE "assessment_components" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"year_id" uuid NOT NULL,
	"key" text NOT NULL,
	"kind" "assessment_component_kind" NOT NULL,
	"name" text NOT NULL,
	"weight" real NOT NULL,
	"source" "assessment_component_source" NOT NULL,
	"round_ids" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"sort_order" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "assessment_components_weight" CHECK ("assessment_components"."weight" >= 0 and "assessment_components"."weight" <= 100)
);
--> statement-breakpoint
CREATE TABLE "assessment_objections" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"year_id" uuid NOT NULL,
	"assessment_id" uuid,
	"name" text NOT NULL,
	"contact" text NOT NULL,
	"body" text NOT NULL,
	"status" "objection_status" DEFAULT 'open' NOT NULL,
	"answer" text,
	"answered_by" uuid,
	"answered_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "assessment_years" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"unit_id" uuid NOT NULL,
	"year" integer NOT NULL,
	"title" text NOT NULL,
	"rules" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"status" "assessment_year_status" DEFAULT 'draft' NOT NULL,
	"computed_at" timestamp with time zone,
	"announced_at" timestamp with time zone,
	"announcement_ends_at" timestamp with time zone,
	"locked_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "assessment_years_year_range" CHECK ("assessment_years"."year" between 2000 and 2100)
);
--> statement-breakpoint
DROP INDEX "assessments_staff_id_year_index";--> statement-breakpoint
DROP INDEX "assessments_unit_id_year_index";--> statement-breakpoint
DROP INDEX "regular_assessments_staff_id_year_index";--> statement-breakpoint
ALTER TABLE "assessments" ALTER COLUMN "components" SET DEFAULT '[]'::jsonb;--> statement-breakpoint
ALTER TABLE "assessments" ADD COLUMN "year_id" uuid NOT NULL;--> statement-breakpoint
ALTER TABLE "assessments" ADD COLUMN "renormalised" jsonb DEFAULT '[]'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "assessments" ADD COLUMN "rank" integer;--> statement-breakpoint
ALTER TABLE "assessments" ADD COLUMN "notes" jsonb DEFAULT '[]'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "assessments" ADD COLUMN "reason" text;--> statement-breakpoint
ALTER TABLE "assessments" ADD COLUMN "signed_by_label" text;--> statement-breakpoint
ALTER TABLE "assessments" ADD COLUMN "computed_at" timestamp with time zone DEFAULT now() NOT NULL;--> statement-breakpoint
ALTER TABLE "regular_assessments" ADD COLUMN "year_id" uuid NOT NULL;--> statement-breakpoint
ALTER TABLE "regular_assessments" ADD COLUMN "component_id" uuid NOT NULL;--> statement-breakpoint
ALTER TABLE "regular_assessments" ADD COLUMN "updated_at" timestamp with time zone DEFAULT now() NOT NULL;--> statement-breakpoint
ALTER TABLE "assessment_components" ADD CONSTRAINT "assessment_components_year_id_assessment_years_id_fk" FOREIGN KEY ("year_id") REFERENCES "public"."assessment_years"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assessment_objections" ADD CONSTRAINT "assessment_objections_year_id_assessment_years_id_fk" FOREIGN KEY ("year_id") REFERENCES "public"."assessment_years"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assessment_objections" ADD CONSTRAINT "assessment_objections_assessment_id_assessments_id_fk" FOREIGN KEY ("assessment_id") REFERENCES "public"."assessments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assessment_objections" ADD CONSTRAINT "assessment_objections_answered_by_users_id_fk" FOREIGN KEY ("answered_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assessment_years" ADD CONSTRAINT "assessment_years_unit_id_units_id_fk" FOREIGN KEY ("unit_id") REFERENCES "public"."units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "assessment_components_year_id_key_index" ON "assessment_components" USING btree ("year_id","key");--> statement-breakpoint
CREATE INDEX "assessment_objections_year_id_status_index" ON "assessment_objections" USING btree ("year_id","status");--> statement-breakpoint
CREATE UNIQUE INDEX "assessment_years_unit_id_year_index" ON "assessment_years" USING btree ("unit_id","year");--> statement-breakpoint
ALTER TABLE "assessments" ADD CONSTRAINT "assessments_year_id_assessment_years_id_fk" FOREIGN KEY ("year_id") REFERENCES "public"."assessment_years"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "regular_assessments" ADD CONSTRAINT "regular_assessments_year_id_assessment_years_id_fk" FOREIGN KEY ("year_id") REFERENCES "public"."assessment_years"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "regular_assessments" ADD CONSTRAINT "regular_assessments_component_id_assessment_components_id_fk" FOREIGN KEY ("component_id") REFERENCES "public"."assessment_components"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "assessments_year_id_staff_id_index" ON "assessments" USING btree ("year_id","staff_id");--> statement-breakpoint
CREATE INDEX "assessments_unit_id_index" ON "assessments" USING btree ("unit_id");--> statement-breakpoint
CREATE UNIQUE INDEX "regular_assessments_component_id_staff_id_period_index" ON "regular_assessments" USING btree ("component_id","staff_id","period");--> statement-breakpoint
CREATE INDEX "regular_assessments_year_id_staff_id_index" ON "regular_assessments" USING btree ("year_id","staff_id");--> statement-breakpoint
ALTER TABLE "assessments" DROP COLUMN "year";--> statement-breakpoint
ALTER TABLE "assessments" DROP COLUMN "override_reason";--> statement-breakpoint
ALTER TABLE "assessments" DROP COLUMN "status";--> statement-breakpoint
ALTER TABLE "assessments" DROP COLUMN "created_at";--> statement-breakpoint
ALTER TABLE "regular_assessments" DROP COLUMN "year";--> statement-breakpoint
ALTER TABLE "regular_assessments" DROP COLUMN "created_at";--> statement-breakpoint
DROP TYPE "public"."assessment_status";