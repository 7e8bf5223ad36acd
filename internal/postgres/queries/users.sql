-- name: UserInsert :one
INSERT INTO users (email, name, role, password_hash)
VALUES (@email, @name, @role, @password_hash)
RETURNING id, created_at;

-- name: UserGetByEmail :one
-- The only query that reads the password hash: sign-in needs it.
SELECT * FROM users WHERE lower(email) = lower(@email);

-- name: UserGet :one
SELECT id, email, name, role, disabled_at, created_at, session_epoch FROM users WHERE id = @id;

-- name: UserList :many
SELECT id, email, name, role, disabled_at, created_at, session_epoch FROM users ORDER BY lower(name), id;

-- name: UserSetPassword :execrows
-- A new password ends every session signed in with the old one.
UPDATE users SET password_hash = @password_hash, session_epoch = session_epoch + 1, updated_at = now()
WHERE id = @id;

-- name: UserSetDisabled :one
-- Disabling ends every session, so re-enabling later revives none of them.
UPDATE users
SET disabled_at = CASE WHEN @disabled::boolean THEN coalesce(disabled_at, now()) END,
    session_epoch = session_epoch + CASE WHEN @disabled::boolean THEN 1 ELSE 0 END,
    updated_at = now()
WHERE id = @id
RETURNING id, email, name, role, disabled_at, created_at, session_epoch;
