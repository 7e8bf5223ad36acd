-- +goose Up
-- A user's sessions carry the epoch they were signed in under; changing the
-- password or disabling the account moves it on, so every session signed in
-- before ends on its next request, on every device.
ALTER TABLE users ADD COLUMN session_epoch integer NOT NULL DEFAULT 0;
