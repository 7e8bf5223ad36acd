package server_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/andybalholm/brotli"

	"summitledger/internal/ledger"
	"summitledger/internal/postgres"
	"summitledger/internal/postgres/pgtest"
	"summitledger/internal/server"
	"summitledger/web"
)

// instance is one app instance over a shared database, with its page cache
// kept in step by LISTEN, as `ledger serve` runs it.
type instance struct {
	*authEnv
	srv *server.Server
}

func newInstance(t *testing.T, db *postgres.DB) *instance {
	t.Helper()
	srv := server.New(db, slog.New(slog.NewTextHandler(io.Discard, nil)))
	srv.LoginPerAddress, srv.LoginPerAccount = 1000, 1000
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { srv.WatchChanges(ctx); close(done) }()
	t.Cleanup(func() { cancel(); <-done })
	ts := httptest.NewServer(srv.Routes())
	t.Cleanup(ts.Close)
	for deadline := time.Now().Add(10 * time.Second); !srv.CacheLive(); time.Sleep(5 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("the page cache never started listening for changes")
		}
	}
	return &instance{authEnv: &authEnv{ts: ts, db: db, logs: &lockedBuffer{}}, srv: srv}
}

// waitCleared waits for a channel from CacheCleared, failing after a generous bound.
func waitCleared(t *testing.T, ch <-chan struct{}, what string) {
	t.Helper()
	select {
	case <-ch:
	case <-time.After(10 * time.Second):
		t.Fatalf("%s: the page cache was never cleared", what)
	}
}

func TestPageCacheTwoInstances(t *testing.T) {
	db := pgtest.NewSeeded(t)
	addUser(t, db, editorEmail, "Edna Editor", ledger.RoleEditor, editorPass)
	a, b := newInstance(t, db), newInstance(t, db)
	id := dealIDBySlug(t, db, "wabtec-kazakhstan-locomotives")
	path := web.DealHref(id, "wabtec-kazakhstan-locomotives")
	reader := newClient(t)
	const note = "First locomotives delivered to Astana."

	t.Run("a page is served from the cache", func(t *testing.T) {
		before := b.srv.CacheHits()
		for range 2 {
			if r := b.get(t, reader, path); r.status != http.StatusOK || strings.Contains(r.body, note) {
				t.Fatalf("B %s: status %d, note shown %v; want 200 without the note", path, r.status, strings.Contains(r.body, note))
			}
		}
		if got := b.srv.CacheHits(); got != before+1 {
			t.Errorf("B cache hits = %d, want %d", got, before+1)
		}
	})

	t.Run("an update written through A shows through B on the next request", func(t *testing.T) {
		cleared := b.srv.CacheCleared()
		editor := a.signIn(t, editorEmail, editorPass)
		if r := a.post(t, editor, "/deals/"+itoa(id)+"/updates", validUpdate()); r.status != http.StatusSeeOther {
			t.Fatalf("update through A: status %d, want 303\n%s", r.status, r.body)
		}
		waitCleared(t, cleared, "B after a write through A")
		if r := b.get(t, reader, path); !strings.Contains(r.body, note) {
			t.Errorf("B %s after the update: the note %q is missing", path, note)
		}
	})

	t.Run("a write made in SQL clears every instance", func(t *testing.T) {
		b.get(t, reader, "/countries/kazakhstan")
		ca, cb := a.srv.CacheCleared(), b.srv.CacheCleared()
		if _, err := db.Pool.Exec(context.Background(), "UPDATE countries SET summary = 'Changed in SQL.' WHERE slug = 'kazakhstan'"); err != nil {
			t.Fatal(err)
		}
		waitCleared(t, ca, "A")
		waitCleared(t, cb, "B")
		if r := b.get(t, reader, "/countries/kazakhstan"); !strings.Contains(r.body, "Changed in SQL.") {
			t.Error("B /countries/kazakhstan: the changed summary is missing")
		}
	})
}

func TestHTTPCaching(t *testing.T) {
	db := pgtest.NewSeeded(t)
	addUser(t, db, editorEmail, "Edna Editor", ledger.RoleEditor, editorPass)
	e := newInstance(t, db)
	reader := newClient(t)

	first := e.get(t, reader, "/")
	etag := first.header.Get("ETag")
	t.Run("an anonymous page carries validators a CDN can use", func(t *testing.T) {
		if first.status != http.StatusOK {
			t.Fatalf("status %d, want 200", first.status)
		}
		if !strings.HasPrefix(etag, `"`) || !strings.HasSuffix(etag, `"`) {
			t.Errorf("ETag = %q, want a strong (quoted, not W/) tag", etag)
		}
		if _, err := http.ParseTime(first.header.Get("Last-Modified")); err != nil {
			t.Errorf("Last-Modified = %q: %v", first.header.Get("Last-Modified"), err)
		}
		cc := first.header.Get("Cache-Control")
		for _, want := range []string{"public", "max-age=", "stale-while-revalidate="} {
			if !strings.Contains(cc, want) {
				t.Errorf("Cache-Control = %q, want it to hold %q", cc, want)
			}
		}
	})

	t.Run("If-None-Match with the ETag answers 304 without a body", func(t *testing.T) {
		r := do(t, reader, http.MethodGet, e.ts.URL+"/", nil, "If-None-Match", etag)
		if r.status != http.StatusNotModified || r.body != "" {
			t.Errorf("status %d, body %d bytes; want 304 and none", r.status, len(r.body))
		}
		r = do(t, reader, http.MethodGet, e.ts.URL+"/", nil, "If-None-Match", `"something-else"`)
		if r.status != http.StatusOK {
			t.Errorf("another tag: status %d, want 200", r.status)
		}
	})

	t.Run("gzip and brotli give the same bytes", func(t *testing.T) {
		for _, enc := range []string{"gzip", "br"} {
			r := do(t, reader, http.MethodGet, e.ts.URL+"/", nil, "Accept-Encoding", enc)
			if got := r.header.Get("Content-Encoding"); got != enc {
				t.Fatalf("Accept-Encoding %s: Content-Encoding %q", enc, got)
			}
			if vary := strings.Join(r.header.Values("Vary"), ", "); !strings.Contains(vary, "Accept-Encoding") {
				t.Errorf("%s: Vary = %q, want Accept-Encoding", enc, vary)
			}
			var dec io.Reader = brotli.NewReader(strings.NewReader(r.body))
			if enc == "gzip" {
				zr, err := gzip.NewReader(strings.NewReader(r.body))
				if err != nil {
					t.Fatal(err)
				}
				dec = zr
			}
			plain, err := io.ReadAll(dec)
			if err != nil {
				t.Fatalf("%s: %v", enc, err)
			}
			if !bytes.Equal(plain, []byte(first.body)) {
				t.Errorf("%s: decoded body differs from the plain one", enc)
			}
		}
	})

	t.Run("CSV, JSON and Atom are compressed too", func(t *testing.T) {
		for _, p := range []string{"/deals.csv", "/deals.json", "/updates.atom"} {
			r := do(t, reader, http.MethodGet, e.ts.URL+p, nil, "Accept-Encoding", "gzip")
			if r.status != http.StatusOK || r.header.Get("Content-Encoding") != "gzip" || r.header.Get("ETag") == "" {
				t.Errorf("%s: status %d, Content-Encoding %q, ETag %q", p, r.status, r.header.Get("Content-Encoding"), r.header.Get("ETag"))
			}
		}
	})

	t.Run("a signed-in editor gets no-store and no shared copy", func(t *testing.T) {
		editor := e.signIn(t, editorEmail, editorPass)
		r := e.get(t, editor, "/")
		if cc := r.header.Get("Cache-Control"); cc != "no-store" {
			t.Errorf("Cache-Control = %q, want no-store", cc)
		}
		if r.header.Get("ETag") != "" {
			t.Errorf("ETag = %q, want none", r.header.Get("ETag"))
		}
		if !strings.Contains(r.body, "Edna Editor") {
			t.Error("the editor's page does not name the editor")
		}
		if anon := e.get(t, reader, "/"); strings.Contains(anon.body, "Edna Editor") {
			t.Error("a reader was served the editor's page")
		}
	})

	t.Run("a write changes the ETag", func(t *testing.T) {
		etag := e.get(t, reader, "/countries/kazakhstan").header.Get("ETag")
		if r := do(t, reader, http.MethodGet, e.ts.URL+"/countries/kazakhstan", nil, "If-None-Match", etag); r.status != http.StatusNotModified {
			t.Fatalf("before the write: status %d, want 304", r.status)
		}
		cleared := e.srv.CacheCleared()
		if _, err := db.Pool.Exec(context.Background(), "UPDATE countries SET summary = 'Changed in SQL.' WHERE slug = 'kazakhstan'"); err != nil {
			t.Fatal(err)
		}
		waitCleared(t, cleared, "after a write")
		r := do(t, reader, http.MethodGet, e.ts.URL+"/countries/kazakhstan", nil, "If-None-Match", etag)
		if r.status != http.StatusOK {
			t.Errorf("status %d, want 200 with the new page", r.status)
		}
	})
}
