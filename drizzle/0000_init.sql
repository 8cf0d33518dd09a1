CREATE TYPE "public"."unit_kind" AS ENUM('county', 'district', 'school', 'office');--> statement-breakpoint
CREATE TYPE "public"."role" AS ENUM('office', 'school_admin', 'staff', 'supervisor');--> statement-breakpoint
CREATE TYPE "public"."template_kind" AS ENUM('parent', 'student', 'appraisal', 'satisfaction', 'self_inspection', 'other');--> statement-breakpoint
CREATE TYPE "public"."link_kind" AS ENUM('class', 'code', 'personal');--> statement-breakpoint
CREATE TYPE "public"."rater_kind" AS ENUM('parent', 'student', 'representative', 'colleague', 'leader', 'self');--> statement-breakpoint
CREATE TYPE "public"."round_status" AS ENUM('draft', 'open', 'closed', 'released');--> statement-breakpoint
CREATE TYPE "public"."subject_mode" AS ENUM('school', 'class_teachers', 'ballot', 'self');--> statement-breakpoint
CREATE TYPE "public"."response_status" AS ENUM('valid', 'void');--> statement-breakpoint
CREATE TYPE "public"."subject_type" AS ENUM('staff', 'unit');--> statement-breakpoint
CREATE TYPE "public"."assessment_grade" AS ENUM('excellent', 'qualified', 'basically_qualified', 'unqualified');--> statement-breakpoint
CREATE TYPE "public"."assessment_status" AS ENUM('draft', 'proposed', 'signed', 'announced', 'final');--> statement-breakpoint
CREATE TABLE "classes" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"school_id" uuid NOT NULL,
	"grade" integer NOT NULL,
	"name" text NOT NULL,
	"expected_students" integer DEFAULT 0 NOT NULL,
	"expected_parents" integer DEFAULT 0 NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "classes_grade_range" CHECK ("classes"."grade" between 1 and 12),
	CONSTRAINT "classes_expected_nonneg" CHECK ("classes"."expected_students" >= 0 and "classes"."expected_parents" >= 0)
);
--> statement-breakpoint
CREATE TABLE "staff" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"unit_id" uuid NOT NULL,
	"staff_no" text NOT NULL,
	"name" text NOT NULL,
	"position" text NOT NULL,
	"subjects" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "staff_staffNo_unique" UNIQUE("staff_no")
);
--> statement-breakpoint
CREATE TABLE "teaching_assignments" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"staff_id" uuid NOT NULL,
	"class_id" uuid NOT NULL,
	"subject" text NOT NULL,
	"school_year" text NOT NULL,
	"is_head_teacher" boolean DEFAULT false NOT NULL
);
--> statement-breakpoint
CREATE TABLE "units" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"parent_id" uuid,
	"kind" "unit_kind" NOT NULL,
	"name" text NOT NULL,
	"code" text,
	"sort_order" integer DEFAULT 0 NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "api_keys" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"key_hash" text NOT NULL,
	"prefix" text NOT NULL,
	"role" "role" NOT NULL,
	"unit_id" uuid NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_used_at" timestamp with time zone,
	"revoked_at" timestamp with time zone,
	CONSTRAINT "api_keys_keyHash_unique" UNIQUE("key_hash")
);
--> statement-breakpoint
CREATE TABLE "audit_log" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"actor_user_id" uuid,
	"actor_api_key_id" uuid,
	"actor_label" text,
	"action" text NOT NULL,
	"entity_type" text NOT NULL,
	"entity_id" text,
	"unit_id" uuid,
	"summary" jsonb DEFAULT '{}'::jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sessions" (
	"id" text PRIMARY KEY NOT NULL,
	"user_id" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "settings" (
	"key" text PRIMARY KEY NOT NULL,
	"value" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "throttles" (
	"key" text PRIMARY KEY NOT NULL,
	"failures" integer DEFAULT 0 NOT NULL,
	"window_started_at" timestamp with time zone DEFAULT now() NOT NULL,
	"locked_until" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "users" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"username" text NOT NULL,
	"password_hash" text NOT NULL,
	"display_name" text NOT NULL,
	"role" "role" NOT NULL,
	"unit_id" uuid NOT NULL,
	"staff_id" uuid,
	"locale" text DEFAULT 'zh-CN' NOT NULL,
	"disabled" boolean DEFAULT false NOT NULL,
	"must_change_password" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "users_username_unique" UNIQUE("username")
);
--> statement-breakpoint
CREATE TABLE "template_versions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"template_id" uuid NOT NULL,
	"version" integer NOT NULL,
	"definition" jsonb NOT NULL,
	"note" text DEFAULT '' NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"locked_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "templates" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"unit_id" uuid,
	"kind" "template_kind" NOT NULL,
	"name" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"built_in_key" text,
	"archived" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "templates_builtInKey_unique" UNIQUE("built_in_key")
);
--> statement-breakpoint
CREATE TABLE "ballot_entries" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"form_id" uuid NOT NULL,
	"staff_id" uuid,
	"unit_id" uuid,
	"sort_order" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "ballot_entries_one_subject" CHECK (num_nonnulls("ballot_entries"."staff_id", "ballot_entries"."unit_id") = 1)
);
--> statement-breakpoint
CREATE TABLE "links" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"round_id" uuid NOT NULL,
	"form_id" uuid NOT NULL,
	"kind" "link_kind" NOT NULL,
	"token_hash" text NOT NULL,
	"school_id" uuid NOT NULL,
	"class_id" uuid,
	"issued_to_staff_id" uuid,
	"label" text DEFAULT '' NOT NULL,
	"batch" integer DEFAULT 0 NOT NULL,
	"capacity" integer NOT NULL,
	"used_count" integer DEFAULT 0 NOT NULL,
	"revoked" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "links_tokenHash_unique" UNIQUE("token_hash"),
	CONSTRAINT "links_capacity" CHECK ("links"."used_count" >= 0 and "links"."used_count" <= "links"."capacity")
);
--> statement-breakpoint
CREATE TABLE "rater_groups" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"round_id" uuid NOT NULL,
	"kind" "rater_kind" NOT NULL,
	"name" text NOT NULL,
	"weight" numeric(5, 2) NOT NULL,
	CONSTRAINT "rater_groups_weight" CHECK ("rater_groups"."weight" >= 0 and "rater_groups"."weight" <= 100)
);
--> statement-breakpoint
CREATE TABLE "round_forms" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"round_id" uuid NOT NULL,
	"template_version_id" uuid NOT NULL,
	"rater_group_id" uuid NOT NULL,
	"subject_mode" "subject_mode" NOT NULL,
	"title" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "round_units" (
	"round_id" uuid NOT NULL,
	"unit_id" uuid NOT NULL
);
--> statement-breakpoint
CREATE TABLE "rounds" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"unit_id" uuid NOT NULL,
	"title" text NOT NULL,
	"school_year" text NOT NULL,
	"term" integer NOT NULL,
	"status" "round_status" DEFAULT 'draft' NOT NULL,
	"test_mode" boolean DEFAULT false NOT NULL,
	"opens_at" timestamp with time zone NOT NULL,
	"closes_at" timestamp with time zone NOT NULL,
	"anonymity_threshold" integer DEFAULT 5 NOT NULL,
	"comment_threshold" integer DEFAULT 10 NOT NULL,
	"retain_until" timestamp with time zone,
	"released_to_schools_at" timestamp with time zone,
	"released_to_staff_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "rounds_window" CHECK ("rounds"."closes_at" > "rounds"."opens_at"),
	CONSTRAINT "rounds_term" CHECK ("rounds"."term" in (1, 2))
);
--> statement-breakpoint
CREATE TABLE "answer_facts" (
	"response_id" uuid NOT NULL,
	"round_id" uuid NOT NULL,
	"form_id" uuid NOT NULL,
	"rater_group_id" uuid NOT NULL,
	"school_id" uuid NOT NULL,
	"class_id" uuid,
	"subject_type" "subject_type" NOT NULL,
	"subject_staff_id" uuid,
	"subject_unit_id" uuid,
	"question" text NOT NULL,
	"row" text DEFAULT '' NOT NULL,
	"dimension" text,
	"value" text NOT NULL,
	"score" real,
	"excluded" boolean DEFAULT false NOT NULL,
	"item_index" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "answer_facts_subject" CHECK (num_nonnulls("answer_facts"."subject_staff_id", "answer_facts"."subject_unit_id") = 1)
);
--> statement-breakpoint
CREATE TABLE "responses" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"round_id" uuid NOT NULL,
	"form_id" uuid NOT NULL,
	"rater_group_id" uuid NOT NULL,
	"school_id" uuid NOT NULL,
	"class_id" uuid,
	"idempotency_key" text NOT NULL,
	"status" "response_status" DEFAULT 'valid' NOT NULL,
	"void_reason" text,
	"data" jsonb NOT NULL,
	"submitted_hour" timestamp with time zone DEFAULT date_trunc('hour', now()) NOT NULL
);
--> statement-breakpoint
CREATE TABLE "assessments" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"unit_id" uuid NOT NULL,
	"staff_id" uuid NOT NULL,
	"year" integer NOT NULL,
	"components" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"composite_score" real,
	"proposed_grade" "assessment_grade",
	"grade" "assessment_grade",
	"override_reason" text,
	"status" "assessment_status" DEFAULT 'draft' NOT NULL,
	"signed_by" uuid,
	"signed_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "regular_assessments" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"staff_id" uuid NOT NULL,
	"year" integer NOT NULL,
	"period" text NOT NULL,
	"score" real,
	"sanction" text,
	"note" text DEFAULT '' NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "classes" ADD CONSTRAINT "classes_school_id_units_id_fk" FOREIGN KEY ("school_id") REFERENCES "public"."units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "staff" ADD CONSTRAINT "staff_unit_id_units_id_fk" FOREIGN KEY ("unit_id") REFERENCES "public"."units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "teaching_assignments" ADD CONSTRAINT "teaching_assignments_staff_id_staff_id_fk" FOREIGN KEY ("staff_id") REFERENCES "public"."staff"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "teaching_assignments" ADD CONSTRAINT "teaching_assignments_class_id_classes_id_fk" FOREIGN KEY ("class_id") REFERENCES "public"."classes"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "units" ADD CONSTRAINT "units_parent_id_units_id_fk" FOREIGN KEY ("parent_id") REFERENCES "public"."units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "api_keys" ADD CONSTRAINT "api_keys_unit_id_units_id_fk" FOREIGN KEY ("unit_id") REFERENCES "public"."units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "api_keys" ADD CONSTRAINT "api_keys_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "audit_log" ADD CONSTRAINT "audit_log_actor_user_id_users_id_fk" FOREIGN KEY ("actor_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "audit_log" ADD CONSTRAINT "audit_log_actor_api_key_id_api_keys_id_fk" FOREIGN KEY ("actor_api_key_id") REFERENCES "public"."api_keys"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "audit_log" ADD CONSTRAINT "audit_log_unit_id_units_id_fk" FOREIGN KEY ("unit_id") REFERENCES "public"."units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sessions" ADD CONSTRAINT "sessions_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "users" ADD CONSTRAINT "users_unit_id_units_id_fk" FOREIGN KEY ("unit_id") REFERENCES "public"."units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "users" ADD CONSTRAINT "users_staff_id_staff_id_fk" FOREIGN KEY ("staff_id") REFERENCES "public"."staff"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "template_versions" ADD CONSTRAINT "template_versions_template_id_templates_id_fk" FOREIGN KEY ("template_id") REFERENCES "public"."templates"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "template_versions" ADD CONSTRAINT "template_versions_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "templates" ADD CONSTRAINT "templates_unit_id_units_id_fk" FOREIGN KEY ("unit_id") REFERENCES "public"."units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ballot_entries" ADD CONSTRAINT "ballot_entries_form_id_round_forms_id_fk" FOREIGN KEY ("form_id") REFERENCES "public"."round_forms"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ballot_entries" ADD CONSTRAINT "ballot_entries_staff_id_staff_id_fk" FOREIGN KEY ("staff_id") REFERENCES "public"."staff"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ballot_entries" ADD CONSTRAINT "ballot_entries_unit_id_units_id_fk" FOREIGN KEY ("unit_id") REFERENCES "public"."units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "links" ADD CONSTRAINT "links_round_id_rounds_id_fk" FOREIGN KEY ("round_id") REFERENCES "public"."rounds"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "links" ADD CONSTRAINT "links_form_id_round_forms_id_fk" FOREIGN KEY ("form_id") REFERENCES "public"."round_forms"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "links" ADD CONSTRAINT "links_school_id_units_id_fk" FOREIGN KEY ("school_id") REFERENCES "public"."units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "links" ADD CONSTRAINT "links_class_id_classes_id_fk" FOREIGN KEY ("class_id") REFERENCES "public"."classes"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "links" ADD CONSTRAINT "links_issued_to_staff_id_staff_id_fk" FOREIGN KEY ("issued_to_staff_id") REFERENCES "public"."staff"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rater_groups" ADD CONSTRAINT "rater_groups_round_id_rounds_id_fk" FOREIGN KEY ("round_id") REFERENCES "public"."rounds"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "round_forms" ADD CONSTRAINT "round_forms_round_id_rounds_id_fk" FOREIGN KEY ("round_id") REFERENCES "public"."rounds"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "round_forms" ADD CONSTRAINT "round_forms_template_version_id_template_versions_id_fk" FOREIGN KEY ("template_version_id") REFERENCES "public"."template_versions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "round_forms" ADD CONSTRAINT "round_forms_rater_group_id_rater_groups_id_fk" FOREIGN KEY ("rater_group_id") REFERENCES "public"."rater_groups"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "round_units" ADD CONSTRAINT "round_units_round_id_rounds_id_fk" FOREIGN KEY ("round_id") REFERENCES "public"."rounds"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "round_units" ADD CONSTRAINT "round_units_unit_id_units_id_fk" FOREIGN KEY ("unit_id") REFERENCES "public"."units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rounds" ADD CONSTRAINT "rounds_unit_id_units_id_fk" FOREIGN KEY ("unit_id") REFERENCES "public"."units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "answer_facts" ADD CONSTRAINT "answer_facts_response_id_responses_id_fk" FOREIGN KEY ("response_id") REFERENCES "public"."responses"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "answer_facts" ADD CONSTRAINT "answer_facts_subject_staff_id_staff_id_fk" FOREIGN KEY ("subject_staff_id") REFERENCES "public"."staff"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "answer_facts" ADD CONSTRAINT "answer_facts_subject_unit_id_units_id_fk" FOREIGN KEY ("subject_unit_id") REFERENCES "public"."units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "responses" ADD CONSTRAINT "responses_round_id_rounds_id_fk" FOREIGN KEY ("round_id") REFERENCES "public"."rounds"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "responses" ADD CONSTRAINT "responses_form_id_round_forms_id_fk" FOREIGN KEY ("form_id") REFERENCES "public"."round_forms"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "responses" ADD CONSTRAINT "responses_rater_group_id_rater_groups_id_fk" FOREIGN KEY ("rater_group_id") REFERENCES "public"."rater_groups"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "responses" ADD CONSTRAINT "responses_school_id_units_id_fk" FOREIGN KEY ("school_id") REFERENCES "public"."units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "responses" ADD CONSTRAINT "responses_class_id_classes_id_fk" FOREIGN KEY ("class_id") REFERENCES "public"."classes"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assessments" ADD CONSTRAINT "assessments_unit_id_units_id_fk" FOREIGN KEY ("unit_id") REFERENCES "public"."units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assessments" ADD CONSTRAINT "assessments_staff_id_staff_id_fk" FOREIGN KEY ("staff_id") REFERENCES "public"."staff"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assessments" ADD CONSTRAINT "assessments_signed_by_users_id_fk" FOREIGN KEY ("signed_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "regular_assessments" ADD CONSTRAINT "regular_assessments_staff_id_staff_id_fk" FOREIGN KEY ("staff_id") REFERENCES "public"."staff"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "regular_assessments" ADD CONSTRAINT "regular_assessments_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "classes_school_id_name_index" ON "classes" USING btree ("school_id","name");--> statement-breakpoint
CREATE INDEX "staff_unit_id_index" ON "staff" USING btree ("unit_id");--> statement-breakpoint
CREATE UNIQUE INDEX "teaching_assignments_staff_id_class_id_subject_school_year_index" ON "teaching_assignments" USING btree ("staff_id","class_id","subject","school_year");--> statement-breakpoint
CREATE INDEX "teaching_assignments_class_id_school_year_index" ON "teaching_assignments" USING btree ("class_id","school_year");--> statement-breakpoint
CREATE INDEX "units_parent_id_index" ON "units" USING btree ("parent_id");--> statement-breakpoint
CREATE UNIQUE INDEX "units_parent_name_unique" ON "units" USING btree (coalesce("parent_id", '00000000-0000-0000-0000-000000000000'::uuid),"name");--> statement-breakpoint
CREATE INDEX "audit_log_at_index" ON "audit_log" USING btree ("at");--> statement-breakpoint
CREATE INDEX "audit_log_entity_type_entity_id_index" ON "audit_log" USING btree ("entity_type","entity_id");--> statement-breakpoint
CREATE INDEX "sessions_user_id_index" ON "sessions" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "users_unit_id_index" ON "users" USING btree ("unit_id");--> statement-breakpoint
CREATE UNIQUE INDEX "template_versions_template_id_version_index" ON "template_versions" USING btree ("template_id","version");--> statement-breakpoint
CREATE INDEX "templates_unit_id_index" ON "templates" USING btree ("unit_id");--> statement-breakpoint
CREATE INDEX "ballot_entries_form_id_index" ON "ballot_entries" USING btree ("form_id");--> statement-breakpoint
CREATE INDEX "links_round_id_school_id_index" ON "links" USING btree ("round_id","school_id");--> statement-breakpoint
CREATE INDEX "links_form_id_index" ON "links" USING btree ("form_id");--> statement-breakpoint
CREATE INDEX "rater_groups_round_id_index" ON "rater_groups" USING btree ("round_id");--> statement-breakpoint
CREATE INDEX "round_forms_round_id_index" ON "round_forms" USING btree ("round_id");--> statement-breakpoint
CREATE UNIQUE INDEX "round_units_round_id_unit_id_index" ON "round_units" USING btree ("round_id","unit_id");--> statement-breakpoint
CREATE INDEX "rounds_unit_id_status_index" ON "rounds" USING btree ("unit_id","status");--> statement-breakpoint
CREATE INDEX "answer_facts_round_id_subject_type_subject_staff_id_question_index" ON "answer_facts" USING btree ("round_id","subject_type","subject_staff_id","question");--> statement-breakpoint
CREATE INDEX "answer_facts_round_id_school_id_question_index" ON "answer_facts" USING btree ("round_id","school_id","question");--> statement-breakpoint
CREATE INDEX "answer_facts_response_id_index" ON "answer_facts" USING btree ("response_id");--> statement-breakpoint
CREATE UNIQUE INDEX "responses_round_id_idempotency_key_index" ON "responses" USING btree ("round_id","idempotency_key");--> statement-breakpoint
CREATE INDEX "responses_round_id_school_id_class_id_index" ON "responses" USING btree ("round_id","school_id","class_id");--> statement-breakpoint
CREATE UNIQUE INDEX "assessments_staff_id_year_index" ON "assessments" USING btree ("staff_id","year");--> statement-breakpoint
CREATE INDEX "assessments_unit_id_year_index" ON "assessments" USING btree ("unit_id","year");--> statement-breakpoint
CREATE INDEX "regular_assessments_staff_id_year_index" ON "regular_assessments" USING btree ("staff_id","year");