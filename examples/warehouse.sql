-- The warehouse contract's four tables (README: "The warehouse contract") in
-- the schema :"schema". Idempotent; included by every example.
SET client_min_messages = warning;
CREATE SCHEMA IF NOT EXISTS :"schema";
CREATE TABLE IF NOT EXISTS :"schema".dim_date (date_key date PRIMARY KEY);
CREATE TABLE IF NOT EXISTS :"schema".dim_track (
  track_id int PRIMARY KEY, name text NOT NULL, genre text NOT NULL);
CREATE TABLE IF NOT EXISTS :"schema".dim_customer (
  customer_key bigserial PRIMARY KEY,
  customer_id int NOT NULL,
  first_name text, last_name text, company text, address text, city text, state text,
  country text, postal_code text, phone text, fax text, email text, support_rep_id int,
  valid_from date NOT NULL,
  valid_to date NOT NULL,
  is_current boolean NOT NULL);
CREATE TABLE IF NOT EXISTS :"schema".fact_sales (
  invoice_line_id int PRIMARY KEY,
  invoice_id int NOT NULL,
  invoice_date date NOT NULL,
  customer_id int NOT NULL,
  track_id int NOT NULL,
  quantity int NOT NULL,
  unit_price numeric(10, 2) NOT NULL,
  revenue numeric(14, 2) NOT NULL);
-- Where each pattern keeps its position (watermark, cursor).
CREATE TABLE IF NOT EXISTS :"schema".load_state (name text PRIMARY KEY, value text NOT NULL);
