CREATE TYPE "public"."commitment_status" AS ENUM('pending', 'approved', 'rejected', 'reported', 'fulfilled', 'unfulfilled');--> statement-breakpoint
CREATE TABLE "accountability_records" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"staff_id" uuid NOT NULL,
	"unit_id" uuid NOT NULL,
	"type_id" uuid NOT NULL,
	"reason" text NOT NULL,
	"decided_on" date NOT NULL,
	"complaint_id" uuid,
	"ledger_item_id" uuid,
	"campaign_id" uuid,
	"revoked_at" timestamp with time zone,
	"revoked_reason" text,
	"created_by_user_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "accountability_reason_length" CHECK (char_length("accountability_records"."reason") <= 2000)
);
--> statement-breakpoint
CREATE TABLE "accountability_types" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"unit_id" uuid NOT NULL,
	"name" text NOT NULL,
	"cap_grade" "assessment_grade",
	"sort_order" integer DEFAULT 0 NOT NULL,
	"active" boolean DEFAULT true NOT NULL
);
--> statement-breakpoint
CREATE TABLE "calendar_days" (
	"unit_id" uuid NOT NULL,
	"day" date NOT NULL,
	"working" boolean NOT NULL,
	"name" text DEFAULT '' NOT NULL,
	CONSTRAINT "calendar_days_unit_id_day_pk" PRIMARY KEY("unit_id","day")
);
--> statement-breakpoint
CREATE TABLE "campaign_comparisons" (
	"campaign_id" uuid PRIMARY KEY NOT NULL,
	"baseline_round_id" uuid NOT NULL,
	"follow_up_round_id" uuid NOT NULL
);
--> statement-breakpoint
CREATE TABLE "commitments" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"unit_id" uuid NOT NULL,
	"staff_id" uuid,
	"campaign_id" uuid,
	"body" text NOT NULL,
	"due_on" date NOT NULL,
	"status" "commitment_status" DEFAULT 'pending' NOT NULL,
	"remark" text,
	"fulfilment" text,
	"approved_at" timestamp with time zone,
	"reported_at" timestamp with time zone,
	"confirmed_at" timestamp with time zone,
	"created_by_user_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "commitments_body_length" CHECK (char_length("commitments"."body") <= 500),
	CONSTRAINT "commitments_fulfilment_length" CHECK (char_length("commitments"."fulfilment") <= 2000)
);
--> statement-breakpoint
CREATE TABLE "ledger_attachments" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"item_id" uuid NOT NULL,
	"filename" text NOT NULL,
	"content_type" text NOT NULL,
	"size" integer NOT NULL,
	"sha256" text NOT NULL,
	"bytes" "bytea" NOT NULL,
	"uploaded_by_user_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "ledger_attachments_size" CHECK ("ledger_attachments"."size" > 0 and "ledger_attachments"."size" <= 5242880)
);
--> statement-breakpoint
ALTER TABLE "ledger_items" ADD COLUMN "source_round_id" uuid;--> statement-breakpoint
ALTER TABLE "ledger_items" ADD COLUMN "source_question" text;--> statement-breakpoint
ALTER TABLE "accountability_records" ADD CONSTRAINT "accountability_records_staff_id_staff_id_fk" FOREIGN KEY ("staff_id") REFERENCES "public"."staff"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "accountability_records" ADD CONSTRAINT "accountability_records_unit_id_units_id_fk" FOREIGN KEY ("unit_id") REFERENCES "public"."units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "accountability_records" ADD CONSTRAINT "accountability_records_type_id_accountability_types_id_fk" FOREIGN KEY ("type_id") REFERENCES "public"."accountability_types"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "accountability_records" ADD CONSTRAINT "accountability_records_complaint_id_complaints_id_fk" FOREIGN KEY ("complaint_id") REFERENCES "public"."complaints"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "accountability_records" ADD CONSTRAINT "accountability_records_ledger_item_id_ledger_items_id_fk" FOREIGN KEY ("ledger_item_id") REFERENCES "public"."ledger_items"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "accountability_records" ADD CONSTRAINT "accountability_records_campaign_id_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."campaigns"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "accountability_records" ADD CONSTRAINT "accountability_records_created_by_user_id_users_id_fk" FOREIGN KEY ("created_by_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "accountability_types" ADD CONSTRAINT "accountability_types_unit_id_units_id_fk" FOREIGN KEY ("unit_id") REFERENCES "public"."units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "calendar_days" ADD CONSTRAINT "calendar_days_unit_id_units_id_fk" FOREIGN KEY ("unit_id") REFERENCES "public"."units"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "campaign_comparisons" ADD CONSTRAINT "campaign_comparisons_campaign_id_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."campaigns"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "campaign_comparisons" ADD CONSTRAINT "campaign_comparisons_baseline_round_id_rounds_id_fk" FOREIGN KEY ("baseline_round_id") REFERENCES "public"."rounds"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "campaign_comparisons" ADD CONSTRAINT "campaign_comparisons_follow_up_round_id_rounds_id_fk" FOREIGN KEY ("follow_up_round_id") REFERENCES "public"."rounds"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "commitments" ADD CONSTRAINT "commitments_unit_id_units_id_fk" FOREIGN KEY ("unit_id") REFERENCES "public"."units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "commitments" ADD CONSTRAINT "commitments_staff_id_staff_id_fk" FOREIGN KEY ("staff_id") REFERENCES "public"."staff"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "commitments" ADD CONSTRAINT "commitments_campaign_id_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."campaigns"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "commitments" ADD CONSTRAINT "commitments_created_by_user_id_users_id_fk" FOREIGN KEY ("created_by_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ledger_attachments" ADD CONSTRAINT "ledger_attachments_item_id_ledger_items_id_fk" FOREIGN KEY ("item_id") REFERENCES "public"."ledger_items"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ledger_attachments" ADD CONSTRAINT "ledger_attachments_uploaded_by_user_id_users_id_fk" FOREIGN KEY ("uploaded_by_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "accountability_records_staff_id_decided_on_index" ON "accountability_records" USING btree ("staff_id","decided_on");--> statement-breakpoint
CREATE INDEX "accountability_records_unit_id_decided_on_index" ON "accountability_records" USING btree ("unit_id","decided_on");--> statement-breakpoint
CREATE UNIQUE INDEX "accountability_types_unit_id_name_index" ON "accountability_types" USING btree ("unit_id","name");--> statement-breakpoint
CREATE INDEX "commitments_unit_id_status_index" ON "commitments" USING btree ("unit_id","status");--> statement-breakpoint
CREATE INDEX "commitments_staff_id_index" ON "commitments" USING btree ("staff_id");--> statement-breakpoint
CREATE INDEX "ledger_attachments_item_id_index" ON "ledger_attachments" USING btree ("item_id");--> statement-breakpoint
ALTER TABLE "ledger_items" ADD CONSTRAINT "ledger_items_source_round_id_rounds_id_fk" FOREIGN KEY ("source_round_id") REFERENCES "public"."rounds"("id") ON DELETE set null ON UPDATE no action;