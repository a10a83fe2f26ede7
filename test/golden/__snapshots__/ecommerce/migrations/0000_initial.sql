CREATE TABLE "products" (
  "id" uuid DEFAULT gen_random_uuid() NOT NULL,
  "sku" text NOT NULL,
  "name" varchar(200) NOT NULL,
  "description" text,
  "category" varchar(100) NOT NULL,
  "price_cents" integer NOT NULL,
  "currency" varchar(3) DEFAULT 'EUR' NOT NULL,
  "active" boolean DEFAULT true NOT NULL,
  "version" integer DEFAULT 1 NOT NULL,
  "created_at" timestamptz DEFAULT now() NOT NULL,
  "updated_at" timestamptz DEFAULT now() NOT NULL,
  CONSTRAINT "products_pkey" PRIMARY KEY ("id"),
  CONSTRAINT "products_sku_key" UNIQUE ("sku"),
  CONSTRAINT "products_name_min_length" CHECK (char_length("name") >= 1),
  CONSTRAINT "products_price_cents_min" CHECK ("price_cents" >= 0),
  CONSTRAINT "products_currency_min_length" CHECK (char_length("currency") >= 3)
);
--> statement-breakpoint
CREATE TABLE "inventory" (
  "id" uuid DEFAULT gen_random_uuid() NOT NULL,
  "on_hand" integer DEFAULT 0 NOT NULL,
  "reserved" integer DEFAULT 0 NOT NULL,
  "product_id" uuid NOT NULL,
  "version" integer DEFAULT 1 NOT NULL,
  "created_at" timestamptz DEFAULT now() NOT NULL,
  "updated_at" timestamptz DEFAULT now() NOT NULL,
  CONSTRAINT "inventory_pkey" PRIMARY KEY ("id"),
  CONSTRAINT "inventory_on_hand_min" CHECK ("on_hand" >= 0),
  CONSTRAINT "inventory_reserved_min" CHECK ("reserved" >= 0)
);
--> statement-breakpoint
CREATE TABLE "customers" (
  "id" uuid DEFAULT gen_random_uuid() NOT NULL,
  "email" varchar(254) NOT NULL,
  "name" varchar(200) NOT NULL,
  "phone" varchar(32),
  "created_at" timestamptz DEFAULT now() NOT NULL,
  "updated_at" timestamptz DEFAULT now() NOT NULL,
  CONSTRAINT "customers_pkey" PRIMARY KEY ("id"),
  CONSTRAINT "customers_name_min_length" CHECK (char_length("name") >= 1)
);
--> statement-breakpoint
CREATE TABLE "orders" (
  "id" uuid DEFAULT gen_random_uuid() NOT NULL,
  "status" text DEFAULT 'pending' NOT NULL,
  "total_cents" integer NOT NULL,
  "currency" varchar(3) NOT NULL,
  "shipping_address_line1" varchar(200) NOT NULL,
  "shipping_address_line2" varchar(200),
  "shipping_address_city" varchar(100) NOT NULL,
  "shipping_address_postal_code" varchar(20) NOT NULL,
  "shipping_address_country" text NOT NULL,
  "note" varchar(500),
  "carrier" varchar(64),
  "tracking_number" varchar(64),
  "cancellation_reason" varchar(500),
  "paid_at" timestamptz,
  "shipped_at" timestamptz,
  "delivered_at" timestamptz,
  "cancelled_at" timestamptz,
  "customer_id" uuid NOT NULL,
  "version" integer DEFAULT 1 NOT NULL,
  "created_at" timestamptz DEFAULT now() NOT NULL,
  "updated_at" timestamptz DEFAULT now() NOT NULL,
  CONSTRAINT "orders_pkey" PRIMARY KEY ("id"),
  CONSTRAINT "orders_status_check" CHECK ("status" IN ('pending', 'paid', 'shipped', 'delivered', 'cancelled')),
  CONSTRAINT "orders_total_cents_min" CHECK ("total_cents" >= 0),
  CONSTRAINT "orders_currency_min_length" CHECK (char_length("currency") >= 3),
  CONSTRAINT "orders_shipping_address_line1_min_length" CHECK (char_length("shipping_address_line1") >= 1),
  CONSTRAINT "orders_shipping_address_city_min_length" CHECK (char_length("shipping_address_city") >= 1),
  CONSTRAINT "orders_shipping_address_postal_code_min_length" CHECK (char_length("shipping_address_postal_code") >= 1)
);
--> statement-breakpoint
CREATE TABLE "order_items" (
  "id" uuid DEFAULT gen_random_uuid() NOT NULL,
  "quantity" integer NOT NULL,
  "unit_price_cents" integer NOT NULL,
  "order_id" uuid NOT NULL,
  "product_id" uuid NOT NULL,
  CONSTRAINT "order_items_pkey" PRIMARY KEY ("id"),
  CONSTRAINT "order_items_quantity_min" CHECK ("quantity" >= 1),
  CONSTRAINT "order_items_unit_price_cents_min" CHECK ("unit_price_cents" >= 0)
);
--> statement-breakpoint
CREATE TABLE "payments" (
  "id" uuid DEFAULT gen_random_uuid() NOT NULL,
  "amount_cents" integer NOT NULL,
  "currency" varchar(3) NOT NULL,
  "method" text NOT NULL,
  "status" text DEFAULT 'pending' NOT NULL,
  "failure_reason" varchar(500),
  "card_token" varchar(255),
  "order_id" uuid NOT NULL,
  "created_at" timestamptz DEFAULT now() NOT NULL,
  "updated_at" timestamptz DEFAULT now() NOT NULL,
  CONSTRAINT "payments_pkey" PRIMARY KEY ("id"),
  CONSTRAINT "payments_amount_cents_min" CHECK ("amount_cents" >= 1),
  CONSTRAINT "payments_currency_min_length" CHECK (char_length("currency") >= 3),
  CONSTRAINT "payments_method_check" CHECK ("method" IN ('card', 'bank_transfer')),
  CONSTRAINT "payments_status_check" CHECK ("status" IN ('pending', 'succeeded', 'failed', 'refunded'))
);
--> statement-breakpoint
CREATE TABLE "audit_log" (
  "id" uuid DEFAULT gen_random_uuid() NOT NULL,
  "entity" text NOT NULL,
  "entity_id" text NOT NULL,
  "action" text NOT NULL,
  "actor" text,
  "at" timestamptz DEFAULT now() NOT NULL,
  "changes" jsonb NOT NULL,
  "reason" text,
  "request_id" text,
  CONSTRAINT "audit_log_pkey" PRIMARY KEY ("id")
);
--> statement-breakpoint
CREATE TABLE "idempotency_keys" (
  "scope" varchar(64) NOT NULL,
  "request_hash" varchar(64) NOT NULL,
  "status" integer,
  "headers" jsonb,
  "body" text,
  "expires_at" timestamptz NOT NULL,
  "created_at" timestamptz DEFAULT now() NOT NULL,
  CONSTRAINT "idempotency_keys_pkey" PRIMARY KEY ("scope")
);
--> statement-breakpoint
ALTER TABLE "inventory" ADD CONSTRAINT "inventory_product_id_fkey" FOREIGN KEY ("product_id") REFERENCES "products" ("id") ON DELETE CASCADE;
--> statement-breakpoint
ALTER TABLE "orders" ADD CONSTRAINT "orders_customer_id_fkey" FOREIGN KEY ("customer_id") REFERENCES "customers" ("id") ON DELETE RESTRICT;
--> statement-breakpoint
ALTER TABLE "order_items" ADD CONSTRAINT "order_items_order_id_fkey" FOREIGN KEY ("order_id") REFERENCES "orders" ("id") ON DELETE CASCADE;
--> statement-breakpoint
ALTER TABLE "order_items" ADD CONSTRAINT "order_items_product_id_fkey" FOREIGN KEY ("product_id") REFERENCES "products" ("id") ON DELETE RESTRICT;
--> statement-breakpoint
ALTER TABLE "payments" ADD CONSTRAINT "payments_order_id_fkey" FOREIGN KEY ("order_id") REFERENCES "orders" ("id") ON DELETE RESTRICT;
--> statement-breakpoint
CREATE INDEX "products_category_name_idx" ON "products" ("category", "name");
--> statement-breakpoint
CREATE UNIQUE INDEX "inventory_items_product_key" ON "inventory" ("product_id");
--> statement-breakpoint
CREATE UNIQUE INDEX "customers_email_key" ON "customers" (lower("email"));
--> statement-breakpoint
CREATE INDEX "orders_customer_status_idx" ON "orders" ("customer_id", "status");
--> statement-breakpoint
CREATE INDEX "order_items_order_id_idx" ON "order_items" ("order_id");
--> statement-breakpoint
CREATE INDEX "order_items_product_id_idx" ON "order_items" ("product_id");
--> statement-breakpoint
CREATE INDEX "payments_order_id_idx" ON "payments" ("order_id");
--> statement-breakpoint
CREATE INDEX "audit_log_entity_entity_id_idx" ON "audit_log" ("entity", "entity_id");
--> statement-breakpoint
CREATE INDEX "idempotency_keys_expires_at_idx" ON "idempotency_keys" ("expires_at");
