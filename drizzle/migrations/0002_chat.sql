CREATE TABLE "chat_message" (
	"conversation_id" text NOT NULL,
	"seq" integer NOT NULL,
	"client_id" text NOT NULL,
	"sender" text NOT NULL,
	"agent_id" text,
	"agent_name" text,
	"body" text NOT NULL,
	"event" text,
	"at" timestamp with time zone NOT NULL,
	CONSTRAINT "chat_message_conversation_id_seq_pk" PRIMARY KEY("conversation_id","seq")
);
--> statement-breakpoint
CREATE TABLE "conversation" (
	"id" text PRIMARY KEY NOT NULL,
	"site_id" text NOT NULL,
	"visitor_key" text NOT NULL,
	"visitor_token" text NOT NULL,
	"status" text DEFAULT 'open' NOT NULL,
	"last_seq" integer DEFAULT 0 NOT NULL,
	"waiting_since" timestamp with time zone,
	"offline" boolean DEFAULT false NOT NULL,
	"assignee_id" text,
	"assignee_name" text,
	"visitor_name" text,
	"visitor_email" text,
	"last_text" text,
	"last_from" text,
	"last_event" text,
	"last_at" timestamp with time zone,
	"agent_unread" integer DEFAULT 0 NOT NULL,
	"visitor_unread" integer DEFAULT 0 NOT NULL,
	"visitor_read_seq" integer DEFAULT 0 NOT NULL,
	"agent_read_seq" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	"closed_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "site" ADD COLUMN "chat_greeting" text DEFAULT 'Hi! Ask us anything, we usually answer in a few minutes.' NOT NULL;--> statement-breakpoint
ALTER TABLE "site" ADD COLUMN "chat_sneak_peek" boolean DEFAULT true NOT NULL;--> statement-breakpoint
ALTER TABLE "chat_message" ADD CONSTRAINT "chat_message_conversation_id_conversation_id_fk" FOREIGN KEY ("conversation_id") REFERENCES "public"."conversation"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "conversation" ADD CONSTRAINT "conversation_site_id_site_id_fk" FOREIGN KEY ("site_id") REFERENCES "public"."site"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "chat_message_client_idx" ON "chat_message" USING btree ("conversation_id","client_id");--> statement-breakpoint
CREATE UNIQUE INDEX "conversation_visitor_idx" ON "conversation" USING btree ("site_id","visitor_key","visitor_token");--> statement-breakpoint
CREATE INDEX "conversation_site_updated_idx" ON "conversation" USING btree ("site_id","updated_at");--> statement-breakpoint
CREATE INDEX "conversation_site_status_idx" ON "conversation" USING btree ("site_id","status","updated_at");--> statement-breakpoint
CREATE INDEX "conversation_assignee_idx" ON "conversation" USING btree ("assignee_id","updated_at");