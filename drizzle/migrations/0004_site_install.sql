CREATE TABLE "refused_origin" (
	"site_id" text NOT NULL,
	"origin" text NOT NULL,
	"count" integer NOT NULL,
	"first_seen_at" timestamp with time zone NOT NULL,
	"last_seen_at" timestamp with time zone NOT NULL,
	CONSTRAINT "refused_origin_site_id_origin_pk" PRIMARY KEY("site_id","origin")
);
--> statement-breakpoint
ALTER TABLE "site" ADD COLUMN "previous_key" text;--> statement-breakpoint
ALTER TABLE "site" ADD COLUMN "previous_key_until" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "site" ADD COLUMN "last_seen_origin" text;--> statement-breakpoint
ALTER TABLE "site" ADD COLUMN "last_seen_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "refused_origin" ADD CONSTRAINT "refused_origin_site_id_site_id_fk" FOREIGN KEY ("site_id") REFERENCES "public"."site"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "site" ADD CONSTRAINT "site_previous_key_unique" UNIQUE("previous_key");