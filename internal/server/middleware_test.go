package server_test

import (
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"testing"

	"summitledger/internal/ledger"
	"summitledger/internal/postgres/pgtest"
	"summitledger/internal/server"
)

// slowBody is a request body that stops arriving. Its reads then fail as
// net/http's do when the connection's read deadline passes: with a timeout
// error, and with the request's context cancelled.
type slowBody struct {
	sent   io.Reader
	cancel context.CancelFunc
}

func (b *slowBody) Read(p []byte) (int, error) {
	if n, _ := b.sent.Read(p); n > 0 {
		return n, nil
	}
	b.cancel()
	return 0, &net.OpError{Op: "read", Net: "tcp", Err: os.ErrDeadlineExceeded}
}

func TestStatuses(t *testing.T) {
	db := pgtest.NewSeeded(t)
	logs := &lockedBuffer{}
	srv := server.New(db, slog.New(slog.NewTextHandler(logs, nil)))
	h := srv.Routes()

	t.Run("a client that went away is logged at info as 499, not as an error", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		req := httptest.NewRequestWithContext(ctx, http.MethodGet, "/deals?q=rail", nil)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != 499 {
			t.Errorf("status = %d, want 499", rec.Code)
		}
		out := logs.String()
		if strings.Contains(out, "level=ERROR") {
			t.Errorf("logged as an error:\n%s", out)
		}
		if !strings.Contains(out, "level=INFO msg=request method=GET path=/deals status=499") {
			t.Errorf("the request is not logged at info with status 499:\n%s", out)
		}
	})

	t.Run("a form that stops arriving is a 408", func(t *testing.T) {
		for _, path := range []string{"/login", "/deals/1/edit", "/admin/users"} {
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			body := &slowBody{sent: strings.NewReader("email=a%40example.org&pass"), cancel: cancel}
			req := httptest.NewRequestWithContext(ctx, http.MethodPost, path, body)
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			if rec.Code != http.StatusRequestTimeout {
				t.Errorf("POST %s with a stalled body = %d, want 408", path, rec.Code)
			}
		}
	})
}

// TestHSTS shows that a site served over TLS tells browsers to keep to it.
func TestHSTS(t *testing.T) {
	db := pgtest.New(t)
	for _, tc := range []struct {
		base, want string
	}{
		{"https://ledger.example.org", "max-age=31536000"},
		{"http://127.0.0.1:8080", ""},
		{"", ""},
	} {
		ts := serve(t, db, func(s *server.Server) { s.BaseURL = tc.base })
		resp, err := http.Get(ts.URL + "/methodology")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if got := resp.Header.Get("Strict-Transport-Security"); got != tc.want {
			t.Errorf("BASE_URL %q: Strict-Transport-Security = %q, want %q", tc.base, got, tc.want)
		}
	}
}

func TestSignedInPagesNotStored(t *testing.T) {
	e := newAuthServer(t, nil)
	pgtest.Seed(t, e.db)
	addUser(t, e.db, adminEmail, "Ada Admin", ledger.RoleAdmin, adminPass)
	admin := e.signIn(t, adminEmail, adminPass)
	for _, path := range []string{"/admin/users", "/", "/deals", "/countries/kazakhstan", "/deals/new", "/changes"} {
		r := e.get(t, admin, path)
		if r.status != http.StatusOK {
			t.Fatalf("GET %s = %d, want 200", path, r.status)
		}
		if got := r.header.Get("Cache-Control"); got != "no-store" {
			t.Errorf("signed in, GET %s: Cache-Control = %q, want no-store", path, got)
		}
	}
	t.Run("a reader's pages may be stored", func(t *testing.T) {
		if got := e.get(t, newClient(t), "/deals").header.Get("Cache-Control"); got == "no-store" {
			t.Errorf("a reader's /deals is sent no-store")
		}
	})
}

// TestOneIDParser shows that every route reads a record id the same way:
// digits without a sign or leading zeros, so each record has one address.
func TestOneIDParser(t *testing.T) {
	e := newAuthServer(t, nil)
	pgtest.Seed(t, e.db)
	admin := addUser(t, e.db, adminEmail, "Ada Admin", ledger.RoleAdmin, adminPass)
	ed := addUser(t, e.db, editorEmail, "Ed Itor", ledger.RoleEditor, editorPass)
	c := e.signIn(t, adminEmail, adminPass)
	_ = admin
	id := itoa(ed.ID)
	for _, bad := range []string{"+" + id, "0" + id, "0000" + id, id + ".0", " " + id} {
		for _, path := range []string{"/admin/users/" + url.PathEscape(bad) + "/disable", "/admin/users/" + url.PathEscape(bad) + "/enable"} {
			if r := e.post(t, c, path, nil); r.status != http.StatusNotFound {
				t.Errorf("POST %s = %d, want 404 as for any malformed id", path, r.status)
			}
		}
		for _, path := range []string{"/deals/" + url.PathEscape(bad) + "/edit", "/priorities/" + url.PathEscape(bad) + "/edit", "/u/" + url.PathEscape(bad)} {
			if r := e.get(t, c, path); r.status != http.StatusNotFound {
				t.Errorf("GET %s = %d, want 404", path, r.status)
			}
		}
	}
	if u, _ := e.db.User(context.Background(), ed.ID); u.Disabled() {
		t.Errorf("a malformed id disabled user %d", ed.ID)
	}
	if r := e.post(t, c, "/admin/users/"+id+"/disable", nil); r.status != http.StatusSeeOther {
		t.Errorf("POST /admin/users/%s/disable = %d, want 303", id, r.status)
	}
}
