-- name: CountryList :many
SELECT * FROM countries ORDER BY name;

-- name: CountryGetBySlug :one
SELECT * FROM countries WHERE slug = @slug;

-- name: CountryGetByCode :one
SELECT * FROM countries WHERE code = upper(@code);

-- name: CountryUpsert :exec
INSERT INTO countries (code, slug, name, capital, leader, leader_title, summary)
VALUES (@code, @slug, @name, @capital, @leader, @leader_title, @summary)
ON CONFLICT (code) DO NOTHING;
