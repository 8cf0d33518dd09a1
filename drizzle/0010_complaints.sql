CREATE TYPE "public"."complaint_category" AS ENUM('slack', 'fees', 'corporal', 'attitude', 'other');--> statement-breakpoint
CREATE TYPE "public"."complaint_rating" AS ENUM('satisfied', 'fair', 'unsatisfied');--> statement-breakpoint
CREATE TYPE "public"."complaint_status" AS ENUM('received', 'declined', 'accepted', 'assigned', 'replied', 'rated', 'closed');--> statement-breakpoint
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
ALTER TABLE "complaint_events" ADD CONSTRAINT "complaint_events_complaint_id_complaints_id_fk" FOREIGN KEY ("complaint_id") REFERENCES "public"."complaints"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "complaint_events" ADD CONSTRAINT "complaint_events_actor_user_id_users_id_fk" FOREIGN KEY ("actor_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "complaint_rules" ADD CONSTRAINT "complaint_rules_unit_id_units_id_fk" FOREIGN KEY ("unit_id") REFERENCES "public"."units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "complaints" ADD CONSTRAINT "complaints_unit_id_units_id_fk" FOREIGN KEY ("unit_id") REFERENCES "public"."units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "complaints" ADD CONSTRAINT "complaints_staff_id_staff_id_fk" FOREIGN KEY ("staff_id") REFERENCES "public"."staff"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "complaints" ADD CONSTRAINT "complaints_handling_unit_id_units_id_fk" FOREIGN KEY ("handling_unit_id") REFERENCES "public"."units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "complaint_events_complaint_id_at_index" ON "complaint_events" USING btree ("complaint_id","at");--> statement-breakpoint
CREATE INDEX "complaints_unit_id_index" ON "complaints" USING btree ("unit_id");--> statement-breakpoint
CREATE INDEX "complaints_handling_unit_id_index" ON "complaints" USING btree ("handling_unit_id");--> statement-breakpoint
CREATE INDEX "complaints_status_step_due_at_index" ON "complaints" USING btree ("status","step_due_at");