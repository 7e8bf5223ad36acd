package server_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// TestReasonLength shows that the form and the store count a reason's
// length the same way, in characters: a long reason in Cyrillic, two bytes
// a letter, is taken by both or refused by the form.
func TestReasonLength(t *testing.T) {
	e := newEditEnv(t)
	prio, err := e.db.PriorityIDBySlug(context.Background(), "KZ", "transport-corridors-to-europe")
	if err != nil {
		t.Fatal(err)
	}
	long := strings.Repeat("ж", 1500)
	for _, path := range []string{"/deals/" + itoa(e.dealID) + "/delete", "/deals/" + itoa(e.dealID) + "/restore",
		"/priorities/" + itoa(prio) + "/delete", "/priorities/" + itoa(prio) + "/restore"} {
		t.Run(path+" takes 2,000 characters", func(t *testing.T) {
			r := e.post(t, e.admin, path, url.Values{"reason": {strings.Repeat("ж", 2001)}})
			if r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, "characters or fewer") {
				t.Errorf("a reason of 2,001 characters: status %d, want 422 saying the limit", r.status)
			}
			if r := e.post(t, e.admin, path, url.Values{"reason": {long}}); r.status != http.StatusSeeOther {
				t.Errorf("a reason of 1,500 Cyrillic characters: status %d, want 303\n%s", r.status, r.body)
			}
		})
	}
}
