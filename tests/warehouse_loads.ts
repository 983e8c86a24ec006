/**
 * Daily warehouse loads in plain SQL, for the audit's tests: a correct
 * reference load and three classic mistakes. Each runs after a day was
 * simulated, with that day as `:'day'` (psql's variable syntax, so the
 * same text runs in psql) and the schema as `:schema`.
 */

/** The contract's four tables (README: "The warehouse contract"). */
export const CREATE_TABLES = `
CREATE SCHEMA IF NOT EXISTS :schema;
CREATE TABLE IF NOT EXISTS :schema.dim_date (date_key date PRIMARY KEY);
CREATE TABLE IF NOT EXISTS :schema.dim_track (track_id int PRIMARY KEY, name text NOT NULL, genre text NOT NULL);
CREATE TABLE IF NOT EXISTS :schema.dim_customer (
  customer_key bigserial PRIMARY KEY, customer_id int NOT NULL,
  first_name text, last_name text, company text, address text, city text, state text,
  country text, postal_code text, phone text, fax text, email text, support_rep_id int,
  valid_from date NOT NULL, valid_to date NOT NULL, is_current boolean NOT NULL);
CREATE TABLE IF NOT EXISTS :schema.fact_sales (
  invoice_line_id int PRIMARY KEY, invoice_id int NOT NULL, invoice_date date NOT NULL,
  customer_id int NOT NULL, track_id int NOT NULL, quantity int NOT NULL,
  unit_price numeric(10, 2) NOT NULL, revenue numeric(14, 2) NOT NULL);
`;

const LINES = `
SELECT l."InvoiceLineId", l."InvoiceId", i."InvoiceDate"::date, i."CustomerId", l."TrackId",
       l."Quantity", l."UnitPrice", l."UnitPrice" * l."Quantity"
  FROM public."InvoiceLine" l JOIN public."Invoice" i USING ("InvoiceId")`;

const TRACKS_AND_DATES = `
TRUNCATE :schema.dim_track;
INSERT INTO :schema.dim_track
SELECT t."TrackId", t."Name", coalesce(g."Name", '') FROM public."Track" t LEFT JOIN public."Genre" g USING ("GenreId");
INSERT INTO :schema.dim_date SELECT DISTINCT "InvoiceDate"::date FROM public."Invoice" ON CONFLICT DO NOTHING;
`;

const CUSTOMER_COLUMNS =
  "customer_id, first_name, last_name, company, address, city, state, country, postal_code, phone, fax, email, support_rep_id";
const SOURCE_CUSTOMERS = `
SELECT "CustomerId" AS customer_id, "FirstName" AS first_name, "LastName" AS last_name,
       "Company" AS company, "Address" AS address, "City" AS city, "State" AS state,
       "Country" AS country, "PostalCode" AS postal_code, "Phone" AS phone, "Fax" AS fax,
       "Email" AS email, "SupportRepId" AS support_rep_id
  FROM public."Customer"`;

/**
 * SCD Type 2 by comparing with the source's customers: a changed customer's
 * current version ends on the day, a new version starts on it; the first load
 * starts every version on 1900-01-01.
 */
const SCD2 = `
WITH src AS (${SOURCE_CUSTOMERS}),
first_load AS (SELECT NOT EXISTS (SELECT 1 FROM :schema.dim_customer) AS yes),
closed AS (
  UPDATE :schema.dim_customer d SET valid_to = :'day', is_current = false
    FROM src s
   WHERE d.customer_id = s.customer_id AND d.is_current
     AND (d.first_name, d.last_name, d.company, d.address, d.city, d.state, d.country,
          d.postal_code, d.phone, d.fax, d.email, d.support_rep_id)
         IS DISTINCT FROM (s.first_name, s.last_name, s.company, s.address, s.city, s.state,
          s.country, s.postal_code, s.phone, s.fax, s.email, s.support_rep_id)
  RETURNING d.customer_id)
INSERT INTO :schema.dim_customer (${CUSTOMER_COLUMNS}, valid_from, valid_to, is_current)
SELECT s.*, CASE WHEN (SELECT yes FROM first_load) THEN DATE '1900-01-01' ELSE :'day'::date END,
       DATE '9999-12-31', true
  FROM src s
 WHERE s.customer_id IN (SELECT customer_id FROM closed)
    OR NOT EXISTS (SELECT 1 FROM :schema.dim_customer d WHERE d.customer_id = s.customer_id);
`;

/** Correct: every line as it is now (a full refresh of the facts), customers as SCD2. */
export const REFERENCE = `
TRUNCATE :schema.fact_sales;
INSERT INTO :schema.fact_sales ${LINES};
${TRACKS_AND_DATES}
${SCD2}
`;

/** Wrong: only invoices dated after the newest date loaded; late invoices and later changes are missed. */
export const DATE_WATERMARK = `
INSERT INTO :schema.fact_sales ${LINES}
 WHERE i."InvoiceDate" >= (SELECT coalesce(max(invoice_date) + 1, DATE '1900-01-01') FROM :schema.fact_sales);
${TRACKS_AND_DATES}
${SCD2}
`;

/** Wrong: lines are inserted or updated, never removed, so cancelled invoices keep their revenue. */
export const IGNORES_CANCELLATIONS = `
INSERT INTO :schema.fact_sales ${LINES}
ON CONFLICT (invoice_line_id) DO UPDATE SET quantity = EXCLUDED.quantity, revenue = EXCLUDED.revenue;
${TRACKS_AND_DATES}
${SCD2}
`;

/** Wrong: customers overwritten in place (SCD Type 1) where SCD2 is expected. */
export const SCD1_OVERWRITE = `
TRUNCATE :schema.fact_sales;
INSERT INTO :schema.fact_sales ${LINES};
${TRACKS_AND_DATES}
WITH src AS (${SOURCE_CUSTOMERS}),
updated AS (
  UPDATE :schema.dim_customer d
     SET (${CUSTOMER_COLUMNS.replace("customer_id, ", "")}) =
         (s.first_name, s.last_name, s.company, s.address, s.city, s.state, s.country,
          s.postal_code, s.phone, s.fax, s.email, s.support_rep_id)
    FROM src s WHERE d.customer_id = s.customer_id
  RETURNING d.customer_id)
INSERT INTO :schema.dim_customer (${CUSTOMER_COLUMNS}, valid_from, valid_to, is_current)
SELECT s.*, CASE WHEN EXISTS (SELECT 1 FROM :schema.dim_customer) THEN :'day'::date ELSE DATE '1900-01-01' END,
       DATE '9999-12-31', true
  FROM src s
 WHERE NOT EXISTS (SELECT 1 FROM :schema.dim_customer d WHERE d.customer_id = s.customer_id);
`;

/** psql's :'day' and :schema, for a day and schema the test chose. */
export function withVariables(sql: string, variables: { day: string; schema: string }): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(variables.day) || !/^[a-z_][a-z0-9_]*$/.test(variables.schema)) {
    throw new Error("a test's day and schema are plain");
  }
  return sql.replaceAll(":'day'", `'${variables.day}'`).replaceAll(":schema", variables.schema);
}
