CREATE TABLE "users" (
  "id" uuid DEFAULT gen_random_uuid() NOT NULL,
  "email" varchar(254) NOT NULL,
  "display_name" varchar(100) NOT NULL,
  "password_hash" varchar(255) NOT NULL,
  "status" text DEFAULT 'active' NOT NULL,
  "email_verified" boolean DEFAULT false NOT NULL,
  "last_login_at" timestamptz,
  "roles" jsonb DEFAULT '[]'::jsonb NOT NULL,
  "failed_logins" integer DEFAULT 0 NOT NULL,
  "locked_until" timestamptz,
  "created_at" timestamptz DEFAULT now() NOT NULL,
  "updated_at" timestamptz DEFAULT now() NOT NULL,
  CONSTRAINT "users_pkey" PRIMARY KEY ("id"),
  CONSTRAINT "users_display_name_min_length" CHECK (char_length("display_name") >= 1),
  CONSTRAINT "users_status_check" CHECK ("status" IN ('active', 'suspended')),
  CONSTRAINT "users_failed_logins_min" CHECK ("failed_logins" >= 0)
);
--> statement-breakpoint
CREATE TABLE "roles" (
  "id" uuid DEFAULT gen_random_uuid() NOT NULL,
  "name" text NOT NULL,
  "description" varchar(500),
  "permissions" jsonb NOT NULL,
  "built_in" boolean DEFAULT false NOT NULL,
  "created_at" timestamptz DEFAULT now() NOT NULL,
  "updated_at" timestamptz DEFAULT now() NOT NULL,
  CONSTRAINT "roles_pkey" PRIMARY KEY ("id"),
  CONSTRAINT "roles_name_key" UNIQUE ("name")
);
--> statement-breakpoint
CREATE TABLE "sessions" (
  "id" uuid DEFAULT gen_random_uuid() NOT NULL,
  "ip_address" varchar(64),
  "user_agent" varchar(512),
  "last_seen_at" timestamptz NOT NULL,
  "expires_at" timestamptz NOT NULL,
  "revoked_at" timestamptz,
  "refresh_token_hash" varchar(64) NOT NULL,
  "refresh_generation" integer DEFAULT 0 NOT NULL,
  "user_id" uuid NOT NULL,
  "created_at" timestamptz DEFAULT now() NOT NULL,
  "updated_at" timestamptz DEFAULT now() NOT NULL,
  CONSTRAINT "sessions_pkey" PRIMARY KEY ("id"),
  CONSTRAINT "sessions_refresh_generation_min" CHECK ("refresh_generation" >= 0)
);
--> statement-breakpoint
CREATE TABLE "sign_in_failures" (
  "key" varchar(64) NOT NULL,
  "failures" integer DEFAULT 0 NOT NULL,
  "locked_until" timestamptz,
  "expires_at" timestamptz NOT NULL,
  CONSTRAINT "sign_in_failures_pkey" PRIMARY KEY ("key")
);
--> statement-breakpoint
ALTER TABLE "sessions" ADD CONSTRAINT "sessions_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users" ("id") ON DELETE CASCADE;
--> statement-breakpoint
CREATE UNIQUE INDEX "users_email_key" ON "users" (lower("email"));
--> statement-breakpoint
CREATE INDEX "sessions_user_id_idx" ON "sessions" ("user_id");
--> statement-breakpoint
CREATE INDEX "sign_in_failures_expires_at_idx" ON "sign_in_failures" ("expires_at");
