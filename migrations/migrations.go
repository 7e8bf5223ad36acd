// Package migrations holds the forward-only SQL migrations, embedded into the binary.
package migrations

import "embed"

// FS holds every migration file, applied in order by goose.
//
//go:embed *.sql
var FS embed.FS
