CREATE TABLE "current_users" (
  "id" uuid DEFAULT gen_random_uuid() NOT NULL,
  "email" text NOT NULL,
  "display_name" text NOT NULL,
  "password" text NOT NULL,
  "status" text DEFAULT 'active' NOT NULL,
  "roles" jsonb NOT NULL,
  "email_verified" boolean NOT NULL,
  "last_login_at" timestamptz NOT NULL,
  "links" jsonb NOT NULL,
  "permissions" jsonb NOT NULL,
  "session_id" uuid NOT NULL,
  "created_at" timestamptz DEFAULT now() NOT NULL,
  "updated_at" timestamptz DEFAULT now() NOT NULL,
  CONSTRAINT "current_users_pkey" PRIMARY KEY ("id"),
  CONSTRAINT "current_users_status_check" CHECK ("status" IN ('active', 'suspended'))
);
--> statement-breakpoint
CREATE TABLE "users" (
  "id" uuid DEFAULT gen_random_uuid() NOT NULL,
  "email" text NOT NULL,
  "display_name" text NOT NULL,
  "password" text NOT NULL,
  "status" text DEFAULT 'active' NOT NULL,
  "roles" jsonb NOT NULL,
  "email_verified" boolean NOT NULL,
  "last_login_at" timestamptz NOT NULL,
  "links" jsonb NOT NULL,
  "created_at" timestamptz DEFAULT now() NOT NULL,
  "updated_at" timestamptz DEFAULT now() NOT NULL,
  CONSTRAINT "users_pkey" PRIMARY KEY ("id"),
  CONSTRAINT "users_status_check" CHECK ("status" IN ('active', 'suspended'))
);
--> statement-breakpoint
CREATE TABLE "sessions" (
  "id" uuid DEFAULT gen_random_uuid() NOT NULL,
  "user_id" uuid NOT NULL,
  "current" boolean NOT NULL,
  "ip_address" text NOT NULL,
  "user_agent" text NOT NULL,
  "created_at" timestamptz NOT NULL,
  "last_seen_at" timestamptz NOT NULL,
  "expires_at" timestamptz NOT NULL,
  "links" jsonb NOT NULL,
  CONSTRAINT "sessions_pkey" PRIMARY KEY ("id")
);
--> statement-breakpoint
CREATE TABLE "roles" (
  "id" uuid DEFAULT gen_random_uuid() NOT NULL,
  "name" text NOT NULL,
  "description" text,
  "permissions" jsonb NOT NULL,
  "built_in" boolean NOT NULL,
  "links" jsonb NOT NULL,
  "created_at" timestamptz DEFAULT now() NOT NULL,
  "updated_at" timestamptz DEFAULT now() NOT NULL,
  CONSTRAINT "roles_pkey" PRIMARY KEY ("id")
);
