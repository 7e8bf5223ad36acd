package server_test

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"summitledger/internal/postgres"
	"summitledger/internal/postgres/pgtest"
	"summitledger/internal/server"
)

// newServer returns a test server over a fresh seeded database.
func newServer(t *testing.T) (*httptest.Server, *postgres.DB) {
	t.Helper()
	db := pgtest.NewSeeded(t)
	return serve(t, db, nil), db
}

// serve starts the routes over db, after configure (when not nil) has set
// the server up; the test server closes at the end of t.
func serve(t *testing.T, db *postgres.DB, configure func(*server.Server)) *httptest.Server {
	t.Helper()
	srv := server.New(db, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if configure != nil {
		configure(srv)
	}
	ts := httptest.NewServer(srv.Routes())
	t.Cleanup(ts.Close)
	return ts
}

// get GETs url without following redirects: its status and body.
func get(t *testing.T, url string) (int, string) {
	t.Helper()
	r := fetch(t, url)
	return r.status, r.body
}

func TestHome(t *testing.T) {
	ts, _ := newServer(t)
	status, body := get(t, ts.URL+"/")
	if status != http.StatusOK {
		t.Fatalf("GET / = %d, want 200", status)
	}
	for _, name := range []string{"Kazakhstan", "Kyrgyzstan", "Tajikistan", "Turkmenistan", "Uzbekistan", "United States"} {
		if !strings.Contains(body, name) {
			t.Errorf("home page does not name %s", name)
		}
	}
}

func TestHealth(t *testing.T) {
	ts, db := newServer(t)
	t.Run("healthz answers while the process is up", func(t *testing.T) {
		if status, _ := get(t, ts.URL+"/healthz"); status != http.StatusOK {
			t.Errorf("healthz = %d, want 200", status)
		}
	})
	t.Run("readyz answers 200 with the database up", func(t *testing.T) {
		if status, _ := get(t, ts.URL+"/readyz"); status != http.StatusOK {
			t.Errorf("readyz = %d, want 200", status)
		}
	})
	t.Run("readyz answers 503 with the database gone", func(t *testing.T) {
		db.Close()
		if status, _ := get(t, ts.URL+"/readyz"); status != http.StatusServiceUnavailable {
			t.Errorf("readyz = %d, want 503", status)
		}
	})
}

func TestNotFound(t *testing.T) {
	ts, _ := newServer(t)
	status, body := get(t, ts.URL+"/no/such/page")
	if status != http.StatusNotFound {
		t.Errorf("status = %d, want 404", status)
	}
	if !strings.Contains(body, "<h1>Page not found</h1>") {
		t.Errorf("404 body lacks a helpful heading")
	}
}

func TestTrailingSlash(t *testing.T) {
	ts, _ := newServer(t)
	for path, want := range map[string]string{
		"/deals/": "/deals",
		"/countries/kazakhstan/?as_of=2025-12-01": "/countries/kazakhstan?as_of=2025-12-01",
		"//evil.example/":                         "/evil.example",
	} {
		c := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
		resp, err := c.Get(ts.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusMovedPermanently || resp.Header.Get("Location") != want {
			t.Errorf("GET %s = %d to %q, want 301 to %q", path, resp.StatusCode, resp.Header.Get("Location"), want)
		}
	}
}
