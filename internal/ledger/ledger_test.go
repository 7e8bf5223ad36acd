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

func TestSlugify(t *testing.T) {
	for title, want := range map[string]string{
		"Wabtec locomotives for Kazakhstan": "wabtec-locomotives-for-kazakhstan",
		"Казахстан: железная дорога":        "kazakhstan-zheleznaia-doroga",
		"Қазақстан темір жолы":              "kazakstan-temir-zholy",
		"Oʻzbekiston Respublikasi":          "ozbekiston-respublikasi",
		"Türkmenistan – Aşgabat":            "turkmenistan-asgabat",
		"Boeing's 787 order":                "boeings-787-order",
		"🚂":                                 "deal",
	} {
		if got := ledger.Slugify(title); got != want {
			t.Errorf("Slugify(%q) = %q, want %q", title, got, want)
		}
		if got := ledger.Slugify(title); !ledger.ValidSlug(got) {
			t.Errorf("Slugify(%q) = %q, not a valid slug", title, got)
		}
	}
}
