CREATE TABLE "call" (
	"id" text PRIMARY KEY NOT NULL,
	"site_id" text NOT NULL,
	"visitor_key" text NOT NULL,
	"agent_id" text NOT NULL,
	"agent_name" text NOT NULL,
	"video" boolean NOT NULL,
	"started_at" timestamp with time zone NOT NULL,
	"answered_at" timestamp with time zone,
	"ended_at" timestamp with time zone,
	"duration_ms" integer,
	"outcome" text,
	"ended_by" text,
	"reason" text
);
--> statement-breakpoint
ALTER TABLE "call" ADD CONSTRAINT "call_site_id_site_id_fk" FOREIGN KEY ("site_id") REFERENCES "public"."site"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "call_site_started_idx" ON "call" USING btree ("site_id","started_at");--> statement-breakpoint
CREATE INDEX "call_visitor_idx" ON "call" USING btree ("site_id","visitor_key","started_at");--> statement-breakpoint
CREATE INDEX "call_agent_idx" ON "call" USING btree ("agent_id","started_at");