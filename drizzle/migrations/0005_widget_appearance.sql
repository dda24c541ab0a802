ALTER TABLE "site" ADD COLUMN "widget_accent" text DEFAULT '#2563eb' NOT NULL;--> statement-breakpoint
ALTER TABLE "site" ADD COLUMN "widget_side" text DEFAULT 'right' NOT NULL;--> statement-breakpoint
ALTER TABLE "site" ADD COLUMN "widget_offset" integer DEFAULT 20 NOT NULL;--> statement-breakpoint
ALTER TABLE "site" ADD COLUMN "widget_launcher_text" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "site" ADD COLUMN "widget_language" text DEFAULT 'auto' NOT NULL;