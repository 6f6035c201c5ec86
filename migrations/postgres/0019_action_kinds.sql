-- Action types (PostgreSQL): besides HTTP requests, forms and buttons shown in the chat.
-- `spec` holds a form action's form or a button action's button (JSON, checked by the core
-- before it is stored); HTTP actions keep their request columns and no spec.
ALTER TABLE actions ADD COLUMN kind TEXT NOT NULL DEFAULT 'http';
ALTER TABLE actions ADD COLUMN spec TEXT;
