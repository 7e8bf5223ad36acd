package postgres

import (
	"errors"

	"github.com/jackc/pgx/v5/pgconn"

	"summitledger/internal/ledger"
)

// isUniqueViolation reports whether err is a unique violation of constraint.
func isUniqueViolation(err error, constraint string) bool {
	var pgErr *pgconn.PgError
	return errors.As(err, &pgErr) && pgErr.Code == "23505" && pgErr.ConstraintName == constraint
}

// dealWriteError turns a taken slug into a field error a form can show
// next to the slug, and any other failure into the usual store error.
func dealWriteError(err error) error {
	if isUniqueViolation(err, "deals_slug_key") {
		return &ledger.Error{Code: ledger.EINVALID, Message: "Another deal already uses that slug.",
			Fields: map[string]string{"slug": "Another deal already uses this slug; choose another."}}
	}
	return dbError(err, "Deal")
}
