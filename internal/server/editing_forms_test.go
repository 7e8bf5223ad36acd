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

// TestMistypedDates: a date typed wrong is shown back as typed, in a text
// input (a browser empties a type="date" input holding no real day), with
// a message that says what is wrong with it.
func TestMistypedDates(t *testing.T) {
	e := newEditEnv(t)
	for _, c := range []struct{ typed, want string }{
		{"2025-02-30", "2025-02-30 is not a real date; check the month and the day."},
		{"2025-13-01", "2025-13-01 is not a real date; check the month and the day."},
		{"06/11/2025", "Enter the date as YYYY-MM-DD"},
		{"1989-12-31", "Enter a date in 1990 or later."},
	} {
		t.Run("update form, "+c.typed, func(t *testing.T) {
			form := validUpdate()
			form.Set("occurred_on", c.typed)
			r := e.post(t, e.editor, "/deals/"+itoa(e.dealID)+"/updates", form)
			checkDateField(t, r, "occurred_on", c.typed, c.want)
		})
		t.Run("deal form, "+c.typed, func(t *testing.T) {
			r := e.post(t, e.editor, "/deals", url.Values{"title": {"A deal"}, "sector": {"energy"}, "announced_on": {c.typed}})
			checkDateField(t, r, "announced_on", c.typed, c.want)
		})
	}
	t.Run("1990-01-01 is accepted", func(t *testing.T) {
		form := validUpdate()
		form.Set("occurred_on", "1990-01-01")
		if r := e.post(t, e.editor, "/deals/"+itoa(e.dealID)+"/updates", form); r.status != http.StatusSeeOther {
			t.Errorf("status = %d, want 303\n%s", r.status, errorSummary(t, r.body))
		}
	})
}

func checkDateField(t *testing.T, r response, id, typed, want string) {
	t.Helper()
	if r.status != http.StatusUnprocessableEntity {
		t.Fatalf("status = %d, want 422", r.status)
	}
	d := doc(t, r.body)
	field := d.Find("#" + id)
	if typ, _ := field.Attr("type"); typ != "text" {
		t.Errorf("#%s type = %q, want text, which keeps what was typed", id, typ)
	}
	if got, _ := field.Attr("value"); got != typed {
		t.Errorf("#%s value = %q, want %q as typed", id, got, typed)
	}
	if got := textOf(d.Find("#" + id + "-error")); !strings.Contains(got, want) {
		t.Errorf("message = %q, want %q", got, want)
	}
}

// errorSummary is the text of a page's error summary, for failure messages.
func errorSummary(t *testing.T, body string) string {
	t.Helper()
	return textOf(doc(t, body).Find(".error-summary"))
}
