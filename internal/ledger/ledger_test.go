package ledger_test

import (
	"testing"

	"summitledger/internal/ledger"
)

func TestValidSourceURL(t *testing.T) {
	for raw, want := range map[string]bool{
		"https://hronika.kz/?p=5576":              true,
		"http://example.org/a":                    true,
		"javascript:alert(1)":                     false,
		"data:text/html,hi":                       false,
		"//example.org/a":                         false,
		"https://":                                false,
		"ftp://example.org/a":                     false,
		"https://trusted.org@evil.example/":       false,
		"https://user:secret@example.org/private": false,
	} {
		if got := ledger.ValidSourceURL(raw); got != want {
			t.Errorf("ValidSourceURL(%q) = %v, want %v", raw, got, want)
		}
	}
}
