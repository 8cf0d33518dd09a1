CREATE TYPE "public"."complaint_category" AS ENUM('slack', 'fees', 'corporal', 'attitude', 'other');--> statement-breakpoint
CREATE TYPE "public"."complaint_rating" AS ENUM('satisfied', 'fair', 'unsatisfied');--> statement-breakpoint
CREATE TYPE "public"."complaint_status" AS ENUM('received', 'declined', 'accepted', 'assigned', 'replied', 'rated', 'closed');--> statement-breakpoint
CREATE TYPE "public"."campaign_phase_kind" AS ENUM('mobilise', 'self_check', 'rectify', 'review');--> statement-breakpoint
CREATE TYPE "public"."deliverable_scope" AS ENUM('school', 'person');--> statement-breakpoint
CREATE TABLE "complaint_events" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"complaint_id" uuid NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"status" "complaint_status" NOT NULL,
	"actor_user_id" uuid,
	"note" text,
	"late" boolean DEFAULT false NOT NULL
);
--> statement-breakpoint
CREATE TABLE "complaint_rules" (
	"unit_id" uuid PRIMARY KEY NOT NULL,
	"days" jsonb NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "complaints" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tracking_hash" text NOT NULL,
	"unit_id" uuid NOT NULL,
	"person_name" text,
	"staff_id" uuid,
	"category" "complaint_category" NOT NULL,
	"body" text NOT NULL,
	"name" text,
	"contact" text,
	"status" "complaint_status" DEFAULT 'received' NOT NULL,
	"step_due_at" timestamp with time zone,
	"handling_unit_id" uuid,
	"decline_reason" text,
	"reply" text,
	"rating" "complaint_rating",
	"rating_comment" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "complaints_trackingHash_unique" UNIQUE("tracking_hash"),
	CONSTRAINT "complaints_body_length" CHECK (char_length("complaints"."body") <= 2000)
);
--> statement-breakpoint
CREATE TABLE "campaign_deliverables" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"campaign_id" uuid NOT NULL,
	"scope" "deliverable_scope" NOT NULL,
	"title" text NOT NULL,
	"due_at" timestamp with time zone NOT NULL,
	"sort_order" integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "campaign_phases" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"campaign_id" uuid NOT NULL,
	"kind" "campaign_phase_kind" NOT NULL,
	"starts_on" date NOT NULL,
	"ends_on" date NOT NULL,
	"sort_order" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "campaign_phases_dates" CHECK ("campaign_phases"."ends_on" >= "campaign_phases"."starts_on")
);
--> statement-breakpoint
CREATE TABLE "campaign_rounds" (
	"campaign_id" uuid NOT NULL,
	"round_id" uuid NOT NULL,
	CONSTRAINT "campaign_rounds_campaign_id_round_id_pk" PRIMARY KEY("campaign_id","round_id")
);
--> statement-breakpoint
CREATE TABLE "campaigns" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"unit_id" uuid NOT NULL,
	"title" text NOT NULL,
	"starts_on" date NOT NULL,
	"ends_on" date NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "campaigns_dates" CHECK ("campaigns"."ends_on" >= "campaigns"."starts_on")
);
--> statement-breakpoint
CREATE TABLE "deliverable_submissions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"deliverable_id" uuid NOT NULL,
	"unit_id" uuid NOT NULL,
	"staff_id" uuid,
	"body" text NOT NULL,
	"submitted_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"submitted_by" uuid,
	CONSTRAINT "deliverable_submissions_length" CHECK (char_length("deliverable_submissions"."body") <= 20000)
);
--> statement-breakpoint
ALTER TABLE "complaint_events" ADD CONSTRAINT "complaint_events_complaint_id_complaints_id_fk" FOREIGN KEY ("complaint_id") REFERENCES "public"."complaints"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "complaint_events" ADD CONSTRAINT "complaint_events_actor_user_id_users_id_fk" FOREIGN KEY ("actor_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "complaint_rules" ADD CONSTRAINT "complaint_rules_unit_id_units_id_fk" FOREIGN KEY ("unit_id") REFERENCES "public"."units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "complaints" ADD CONSTRAINT "complaints_unit_id_units_id_fk" FOREIGN KEY ("unit_id") REFERENCES "public"."units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "complaints" ADD CONSTRAINT "complaints_staff_id_staff_id_fk" FOREIGN KEY ("staff_id") REFERENCES "public"."staff"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "complaints" ADD CONSTRAINT "complaints_handling_unit_id_units_id_fk" FOREIGN KEY ("handling_unit_id") REFERENCES "public"."units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "campaign_deliverables" ADD CONSTRAINT "campaign_deliverables_campaign_id_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."campaigns"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "campaign_phases" ADD CONSTRAINT "campaign_phases_campaign_id_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."campaigns"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "campaign_rounds" ADD CONSTRAINT "campaign_rounds_campaign_id_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."campaigns"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "campaign_rounds" ADD CONSTRAINT "campaign_rounds_round_id_rounds_id_fk" FOREIGN KEY ("round_id") REFERENCES "public"."rounds"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "campaigns" ADD CONSTRAINT "campaigns_unit_id_units_id_fk" FOREIGN KEY ("unit_id") REFERENCES "public"."units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "deliverable_submissions" ADD CONSTRAINT "deliverable_submissions_deliverable_id_campaign_deliverables_id_fk" FOREIGN KEY ("deliverable_id") REFERENCES "public"."campaign_deliverables"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "deliverable_submissions" ADD CONSTRAINT "deliverable_submissions_unit_id_units_id_fk" FOREIGN KEY ("unit_id") REFERENCES "public"."units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "deliverable_submissions" ADD CONSTRAINT "deliverable_submissions_staff_id_staff_id_fk" FOREIGN KEY ("staff_id") REFERENCES "public"."staff"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "deliverable_submissions" ADD CONSTRAINT "deliverable_submissions_submitted_by_users_id_fk" FOREIGN KEY ("submitted_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "complaint_events_complaint_id_at_index" ON "complaint_events" USING btree ("complaint_id","at");--> statement-breakpoint
CREATE INDEX "complaints_unit_id_index" ON "complaints" USING btree ("unit_id");--> statement-breakpoint
CREATE INDEX "complaints_handling_unit_id_index" ON "complaints" USING btree ("handling_unit_id");--> statement-breakpoint
CREATE INDEX "complaints_status_step_due_at_index" ON "complaints" USING btree ("status","step_due_at");--> statement-breakpoint
CREATE INDEX "campaign_deliverables_campaign_id_index" ON "campaign_deliverables" USING btree ("campaign_id");--> statement-breakpoint
CREATE UNIQUE INDEX "campaign_phases_campaign_id_kind_index" ON "campaign_phases" USING btree ("campaign_id","kind");--> statement-breakpoint
CREATE INDEX "campaigns_unit_id_index" ON "campaigns" USING btree ("unit_id");--> statement-breakpoint
CREATE UNIQUE INDEX "deliverable_submissions_owner" ON "deliverable_submissions" USING btree ("deliverable_id","unit_id",coalesce("staff_id", '00000000-0000-0000-0000-000000000000'::uuid));