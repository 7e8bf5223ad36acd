package ledger_test

import (
	"strings"
	"testing"

	"summitledger/internal/ledger"
)

func TestSearchText(t *testing.T) {
	for q, want := range map[string]string{
		"rail":                               "rail",
		"Wabtec locomotives":                 "Wabtec locomotives",
		`"rare earths" or tungsten -coal`:    `"rare earths" or tungsten -coal`,
		strings.Repeat("-", 50) + "a":        "-a",
		"--rail":                             "-rail",
		"- - - - rail":                       "rail",
		"rail-!-!-!-!-x":                     "rail x",
		"!!!(rail)":                          "rail",
		`-"rail -x"`:                         `-"rail x"`,
		"e-mail U.S. C5+1 4.2bn o'neil":      "e-mail U.S C5+1 4.2bn o'neil",
		"or rail or or":                      "rail",
		"Қазақстан темір жолы":               "Қазақстан темір жолы",
		"&&& ||| ::: *** <-> ()":             "",
		`"unterminated phrase`:               `"unterminated phrase"`,
		strings.Repeat("a ", 40):             strings.TrimSpace(strings.Repeat("a ", ledger.MaxSearchTerms)),
		strings.Repeat(`-"a" or `, 40) + "b": strings.TrimSuffix(strings.Repeat(`-"a" or `, ledger.MaxSearchTerms/2), " or "),
	} {
		f := ledger.DealFilter{Query: q}
		if got := f.SearchText(); got != want {
			t.Errorf("SearchText(%q) = %q, want %q", q, got, want)
		}
	}
}
