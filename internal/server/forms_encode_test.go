package server

import (
	"slices"
	"strconv"
	"strings"

	"summitledger/internal/ledger"
)

// The fuzz targets check what each form's decoder blames; these helpers
// serve only them.

// namedFieldsOnly reports whether every field in fe is one of names, or a
// row of one (name-N): a form never blames a field it does not have.
func namedFieldsOnly(fe ledger.FieldErrors, names []string) bool {
	for f := range fe.Fields {
		base, row, isRow := strings.Cut(f, "-")
		if !slices.Contains(names, base) {
			return false
		}
		if _, ok := parseRow(row); isRow && !ok {
			return false
		}
	}
	return true
}

func parseRow(s string) (int, bool) {
	n, err := strconv.Atoi(s)
	return n, err == nil && n >= 0
}
