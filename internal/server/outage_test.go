package server_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"summitledger/internal/devdb"
	"summitledger/internal/ledger"
	"summitledger/internal/postgres"
	"summitledger/internal/postgres/pgtest"
	"summitledger/internal/server"
)

// privateCluster starts a PostgreSQL cluster of the test's own on a
// loopback port, so that it can be stopped and frozen; never the shared one.
func privateCluster(t *testing.T) *devdb.Cluster {
	t.Helper()
	if _, err := devdb.ServerBinaries(); err != nil {
		t.Skipf("no PostgreSQL server binaries: %v", err)
	}
	dir := filepath.Join(t.TempDir(), "pgdata")
	if os.Geteuid() == 0 { // the server runs as another user, who must reach dir
		for _, d := range []string{filepath.Dir(dir), filepath.Dir(filepath.Dir(dir))} {
			if err := os.Chmod(d, 0o755); err != nil {
				t.Fatal(err)
			}
		}
	}
	c, err := devdb.StartCluster(t.Context(), dir, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := c.Stop(); err != nil {
			t.Error(err)
		}
	})
	conn, err := pgx.Connect(t.Context(), c.URL("postgres"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	if _, err := conn.Exec(t.Context(), "CREATE DATABASE ledger"); err != nil {
		t.Fatal(err)
	}
	return c
}

// waitFor asks until ok says yes, failing after a generous bound.
func waitFor(t *testing.T, what string, ok func() bool) {
	t.Helper()
	for deadline := time.Now().Add(30 * time.Second); !ok(); time.Sleep(50 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("%s: never happened", what)
		}
	}
}

func TestOutage(t *testing.T) {
	c := privateCluster(t)
	db, err := postgres.Open(t.Context(), c.URL("ledger"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(db.Close)
	if err := db.Migrate(t.Context()); err != nil {
		t.Fatal(err)
	}
	pgtest.Seed(t, db)
	addUser(t, db, editorEmail, "Edna Editor", ledger.RoleEditor, editorPass)
	t.Cleanup(func() { c.Thaw() }) //nolint:errcheck // runs before the pool closes and the cluster stops

	logs := &lockedBuffer{}
	srv := server.New(db, slog.New(slog.NewTextHandler(logs, nil)))
	srv.LoginPerAddress, srv.LoginPerAccount = 1000, 1000
	t.Cleanup(func() {
		if t.Failed() {
			t.Log(logs.String())
		}
	})
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	go srv.WatchDatabase(ctx)
	go srv.WatchChanges(ctx)
	ts := httptest.NewServer(srv.Routes())
	t.Cleanup(ts.Close)
	e := &authEnv{ts: ts, db: db, logs: &lockedBuffer{}}
	editor := e.signIn(t, editorEmail, editorPass)
	reader := newClient(t)
	id := itoa(dealIDBySlug(t, db, "wabtec-kazakhstan-locomotives"))
	n := 0
	fresh := func() string { n++; return "/deals?q=outage" + itoa(int64(n)) } // never cached

	ready := func() bool { return e.get(t, reader, "/readyz").status == http.StatusOK }
	if !ready() {
		t.Fatal("/readyz fails before any outage")
	}

	for _, fault := range []struct {
		name         string
		break_, heal func() error
	}{
		{"stopped", c.Halt, func() error { return c.Start(t.Context()) }},
		{"frozen", c.Freeze, c.Thaw},
	} {
		t.Run("database "+fault.name, func(t *testing.T) {
			if err := fault.break_(); err != nil {
				t.Fatal(err)
			}
			start := time.Now()
			r := e.get(t, reader, fresh())
			// Generous: the point is that nothing waits for the database
			// (a frozen one used to hold every page for 9.6 s).
			if took := time.Since(start); took > 5*time.Second {
				t.Errorf("a page took %v to answer", took)
			}
			if r.status != http.StatusServiceUnavailable || r.header.Get("Retry-After") == "" {
				t.Errorf("a page: status %d, Retry-After %q; want 503 with Retry-After", r.status, r.header.Get("Retry-After"))
			}
			if r := e.get(t, reader, "/readyz"); r.status != http.StatusServiceUnavailable {
				t.Errorf("/readyz: status %d, want 503", r.status)
			}

			form := validUpdate()
			form.Set("note", "Typed during the "+fault.name+" outage.")
			r = e.post(t, editor, "/deals/"+id+"/updates", form)
			if r.status != http.StatusServiceUnavailable {
				t.Fatalf("a form: status %d, want 503\n%s", r.status, r.body)
			}
			d := doc(t, r.body)
			if got := d.Find(`form[action="/deals/`+id+`/updates"] input[name="note"]`).AttrOr("value", ""); got != form.Get("note") {
				t.Errorf("the form came back with note %q, want %q", got, form.Get("note"))
			}
			if !strings.Contains(r.body, "not answering") {
				t.Error("the form's page does not say the database is not answering")
			}

			if err := fault.heal(); err != nil {
				t.Fatal(err)
			}
			waitFor(t, "/readyz answering 200 again", ready)
			if r := e.get(t, reader, fresh()); r.status != http.StatusOK {
				t.Errorf("after recovery a page answers %d", r.status)
			}
			if r := e.post(t, editor, "/deals/"+id+"/updates", form); r.status != http.StatusSeeOther {
				t.Errorf("the form sent again after recovery: status %d, want 303\n%s", r.status, r.body)
			}
		})
	}
}
