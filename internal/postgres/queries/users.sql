-- name: UserInsert :one
INSERT INTO users (email, name, role, password_hash)
VALUES (@email, @name, @role, @password_hash)
RETURNING id, created_at;

-- name: UserGetByEmail :one
-- The only query that reads the password hash: sign-in needs it.
SELECT * FROM users WHERE lower(email) = lower(@email);

-- name: UserGet :one
SELECT id, email, name, role, disabled_at, created_at FROM users WHERE id = @id;

-- name: UserList :many
SELECT id, email, name, role, disabled_at, created_at FROM users ORDER BY lower(name), id;

-- name: UserSetPassword :execrows
UPDATE users SET password_hash = @password_hash, updated_at = now() WHERE id = @id;

-- name: UserSetDisabled :one
UPDATE users
SET disabled_at = CASE WHEN @disabled::boolean THEN coalesce(disabled_at, now()) END,
    updated_at = now()
WHERE id = @id
RETURNING id, email, name, role, disabled_at, created_at;
