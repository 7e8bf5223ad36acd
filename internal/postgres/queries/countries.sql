-- name: CountryList :many
SELECT * FROM countries ORDER BY name;

-- name: CountryGetBySlug :one
SELECT * FROM countries WHERE slug = @slug;

-- name: CountryGetByCode :one
SELECT * FROM countries WHERE code = upper(@code);

-- name: CountryUpsert :exec
INSERT INTO countries (code, slug, name, capital, leader, leader_title, summary)
VALUES (@code, @slug, @name, @capital, @leader, @leader_title, @summary)
-- Countries are not edited through forms: the dataset is their one author.
ON CONFLICT (code) DO UPDATE SET slug = EXCLUDED.slug, name = EXCLUDED.name, capital = EXCLUDED.capital,
    leader = EXCLUDED.leader, leader_title = EXCLUDED.leader_title, summary = EXCLUDED.summary;
