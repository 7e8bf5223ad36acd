package server_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// TestFieldLengthsCountCharacters: the limits the forms state are in
// characters, so a title in Cyrillic is as long as one in Latin letters.
func TestFieldLengthsCountCharacters(t *testing.T) {
	e := newEditEnv(t)
	title := strings.Repeat("Ж", 150) // 300 bytes
	note := strings.Repeat("қ", 4000) // 8,000 bytes
	t.Run("a deal titled in 150 Cyrillic letters is saved", func(t *testing.T) {
		r := e.post(t, e.editor, "/deals", url.Values{"title": {title}, "slug": {"cyrillic-title"}, "sector": {"energy"}})
		if r.status != http.StatusSeeOther {
			t.Errorf("status = %d, want 303\n%s", r.status, errorSummary(t, r.body))
		}
	})
	t.Run("a note of 4,000 Kazakh letters is saved", func(t *testing.T) {
		form := validUpdate()
		form.Set("note", note)
		r := e.post(t, e.editor, "/deals/"+itoa(e.dealID)+"/updates", form)
		if r.status != http.StatusSeeOther {
			t.Errorf("status = %d, want 303\n%s", r.status, errorSummary(t, r.body))
		}
	})
}

// errorSummary is the text of a page's error summary, for failure messages.
func errorSummary(t *testing.T, body string) string {
	t.Helper()
	return textOf(doc(t, body).Find(".error-summary"))
}
