-- PostgreSQL leaves room on its pages for HOT updates (see the PostgreSQL
-- migration of the same number); SQLite has no such setting. This file
-- keeps the two directories' numbers in step.

-- +goose Up
SELECT 1;

-- +goose Down
SELECT 1;
