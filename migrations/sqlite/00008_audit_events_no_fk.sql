-- PostgreSQL drops the foreign keys of audit_events here (see the
-- PostgreSQL migration of the same number): there they cost a row lock on
-- the article and the user at every append. SQLite checks a foreign key
-- with a plain index lookup under its single writer, and dropping one
-- means rebuilding the table, so it keeps them. This file keeps the two
-- directories' numbers in step.

-- +goose Up
SELECT 1;

-- +goose Down
SELECT 1;
