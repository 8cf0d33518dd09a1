ALTER TABLE "rounds" ADD COLUMN "sealed_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "responses" DROP COLUMN "submitted_on";