-- name: SessionDeleteExpired :execrows
-- scs/pgxstore reads and writes the sessions table itself; the store only sweeps it.
DELETE FROM sessions WHERE expiry < now();
