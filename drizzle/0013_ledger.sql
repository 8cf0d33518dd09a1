CREATE TYPE "public"."ledger_source" AS ENUM('self_inspection', 'round', 'complaint', 'spot_check', 'supervision', 'other');--> statement-breakpoint
CREATE TYPE "public"."ledger_status" AS ENUM('open', 'in_progress', 'done', 'verified', 'reopened');--> statement-breakpoint
CREATE TABLE "ledger_items" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"unit_id" uuid NOT NULL,
	"campaign_id" uuid,
	"seq" integer NOT NULL,
	"problem" text NOT NULL,
	"source" "ledger_source" NOT NULL,
	"source_detail" text,
	"complaint_id" uuid,
	"measure" text NOT NULL,
	"target" text NOT NULL,
	"due_on" date NOT NULL,
	"responsible_staff_id" uuid,
	"status" "ledger_status" DEFAULT 'open' NOT NULL,
	"effect" text,
	"done_at" timestamp with time zone,
	"verified_at" timestamp with time zone,
	"created_by_user_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "ledger_items_problem_length" CHECK (char_length("ledger_items"."problem") <= 2000)
);
--> statement-breakpoint
CREATE TABLE "ledger_notes" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"item_id" uuid NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"status" "ledger_status",
	"body" text,
	"actor_user_id" uuid
);
--> statement-breakpoint
ALTER TABLE "ledger_items" ADD CONSTRAINT "ledger_items_unit_id_units_id_fk" FOREIGN KEY ("unit_id") REFERENCES "public"."units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ledger_items" ADD CONSTRAINT "ledger_items_campaign_id_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."campaigns"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ledger_items" ADD CONSTRAINT "ledger_items_complaint_id_complaints_id_fk" FOREIGN KEY ("complaint_id") REFERENCES "public"."complaints"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ledger_items" ADD CONSTRAINT "ledger_items_responsible_staff_id_staff_id_fk" FOREIGN KEY ("responsible_staff_id") REFERENCES "public"."staff"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ledger_items" ADD CONSTRAINT "ledger_items_created_by_user_id_users_id_fk" FOREIGN KEY ("created_by_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ledger_notes" ADD CONSTRAINT "ledger_notes_item_id_ledger_items_id_fk" FOREIGN KEY ("item_id") REFERENCES "public"."ledger_items"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ledger_notes" ADD CONSTRAINT "ledger_notes_actor_user_id_users_id_fk" FOREIGN KEY ("actor_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "ledger_items_unit_id_seq_index" ON "ledger_items" USING btree ("unit_id","seq");--> statement-breakpoint
CREATE INDEX "ledger_items_status_due_on_index" ON "ledger_items" USING btree ("status","due_on");--> statement-breakpoint
CREATE INDEX "ledger_items_complaint_id_index" ON "ledger_items" USING btree ("complaint_id");--> statement-breakpoint
CREATE INDEX "ledger_notes_item_id_at_index" ON "ledger_notes" USING btree ("item_id","at");