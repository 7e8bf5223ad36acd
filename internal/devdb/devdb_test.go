package devdb

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

func testLogger(t *testing.T) *slog.Logger {
	return slog.New(slog.NewTextHandler(t.Output(), &slog.HandlerOptions{Level: slog.LevelDebug}))
}

// clusterDir returns a fresh directory for a private cluster. As root the
// server runs as an unprivileged user, which must be able to traverse the
// 0700 directories t.TempDir creates.
func clusterDir(t *testing.T) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "pgdata")
	if os.Geteuid() == 0 {
		for _, d := range []string{filepath.Dir(dir), filepath.Dir(filepath.Dir(dir))} {
			if err := os.Chmod(d, 0o755); err != nil {
				t.Fatal(err)
			}
		}
	}
	return dir
}

func requireBinaries(t *testing.T) {
	t.Helper()
	if _, err := ServerBinaries(); err != nil {
		t.Skipf("no PostgreSQL server binaries: %v", err)
	}
}

func connect(ctx context.Context, url string) (*pgx.Conn, error) {
	cfg, err := pgx.ParseConfig(url)
	if err != nil {
		return nil, err
	}
	cfg.ConnectTimeout = 3 * time.Second
	return pgx.ConnectConfig(ctx, cfg)
}

func selectOne(t *testing.T, url string) {
	t.Helper()
	ctx := t.Context()
	conn, err := connect(ctx, url)
	if err != nil {
		t.Fatalf("connect %s: %v", url, err)
	}
	defer conn.Close(ctx)
	var n int
	if err := conn.QueryRow(ctx, "select 1").Scan(&n); err != nil || n != 1 {
		t.Fatalf("select 1 = %d, %v", n, err)
	}
}

func requireDown(t *testing.T, url string) {
	t.Helper()
	if conn, err := connect(t.Context(), url); err == nil {
		conn.Close(t.Context())
		t.Fatalf("server at %s still answers after Stop", url)
	}
}

func randomName(t *testing.T) string {
	b := make([]byte, 6)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	return "devdb_test_" + hex.EncodeToString(b)
}

func TestStartCluster(t *testing.T) {
	requireBinaries(t)
	t.Parallel()
	ctx := t.Context()
	dir := clusterDir(t)
	log := testLogger(t)

	start := time.Now()
	c, err := StartCluster(ctx, dir, log)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = c.Stop() })
	t.Logf("first start (initdb + start) took %v", time.Since(start))

	selectOne(t, c.URL("postgres"))
	// The unix socket lives inside the data directory.
	selectOne(t, fmt.Sprintf("postgres://postgres@/postgres?host=%s&port=%d", dir, c.port))

	// A second StartCluster on a running dir reuses the server.
	again, err := StartCluster(ctx, dir, log)
	if err != nil {
		t.Fatal(err)
	}
	if again.URL("x") != c.URL("x") {
		t.Errorf("reused cluster URL = %s, want %s", again.URL("x"), c.URL("x"))
	}

	if err := c.Stop(); err != nil {
		t.Fatal(err)
	}
	requireDown(t, c.URL("postgres"))

	// Simulate a crash that left postmaster.pid behind, pointing at a dead
	// process or at a live process that is not the server (pid reuse); the
	// next start must cope.
	dead := exec.Command("true")
	if err := dead.Run(); err != nil {
		t.Fatal(err)
	}
	for _, pid := range []int{dead.Process.Pid, os.Getpid()} {
		pidFile := fmt.Sprintf("%d\n%s\n1700000000\n%d\n%s\n127.0.0.1\n", pid, dir, c.port, dir)
		if err := os.WriteFile(filepath.Join(dir, "postmaster.pid"), []byte(pidFile), 0o600); err != nil {
			t.Fatal(err)
		}
		start = time.Now()
		c2, err := StartCluster(ctx, dir, log)
		if err != nil {
			t.Fatalf("start with stale postmaster.pid (pid %d): %v", pid, err)
		}
		t.Logf("restart with stale postmaster.pid took %v", time.Since(start))
		selectOne(t, c2.URL("postgres"))
		if err := c2.Stop(); err != nil {
			t.Fatal(err)
		}
		requireDown(t, c2.URL("postgres"))
	}
}

func TestStartClusterUntraversableParent(t *testing.T) {
	requireBinaries(t)
	if os.Geteuid() != 0 {
		t.Skip("only relevant when running as root")
	}
	parent := t.TempDir() // 0700, owned by root
	_, err := StartCluster(t.Context(), filepath.Join(parent, "pgdata"), testLogger(t))
	if err == nil || !strings.Contains(err.Error(), "not traversable") {
		t.Fatalf("err = %v, want a not-traversable error", err)
	}
	t.Log(err)
}

func TestOpenPrivateCluster(t *testing.T) {
	requireBinaries(t)
	t.Parallel()
	ctx := t.Context()
	name := randomName(t)

	// No external candidates: Open must fall back to a private cluster.
	url, stop, err := open(ctx, clusterDir(t), name, testLogger(t), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = stop() })
	checkDatabase(t, url, name)
	if err := stop(); err != nil {
		t.Fatal(err)
	}
	requireDown(t, url)
}

func TestOpenExternal(t *testing.T) {
	ctx := t.Context()
	if conn, err := connect(ctx, "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable"); err != nil {
		t.Skipf("no PostgreSQL on 127.0.0.1:5432: %v", err)
	} else {
		conn.Close(ctx)
	}
	t.Parallel()
	name := randomName(t)
	dataDir := filepath.Join(t.TempDir(), "unused")

	url, stop, err := Open(ctx, dataDir, name, testLogger(t))
	if err != nil {
		t.Fatal(err)
	}
	if stop == nil {
		t.Fatal("stop is nil")
	}
	t.Cleanup(func() {
		cfg, err := pgx.ParseConfig(url)
		if err != nil {
			t.Error(err)
			return
		}
		cfg.Database = "postgres"
		conn, err := pgx.ConnectConfig(context.Background(), cfg)
		if err != nil {
			t.Error(err)
			return
		}
		defer conn.Close(context.Background())
		if _, err := conn.Exec(context.Background(), "DROP DATABASE IF EXISTS "+pgx.Identifier{name}.Sanitize()+" WITH (FORCE)"); err != nil {
			t.Error(err)
		}
	})
	t.Logf("url: %s", url)
	checkDatabase(t, url, name)

	// Opening again reuses the existing database.
	url2, _, err := Open(ctx, dataDir, name, testLogger(t))
	if err != nil {
		t.Fatal(err)
	}
	checkDatabase(t, url2, name)

	// The fixed fallback, postgres@127.0.0.1:5432, on its own.
	url3, _, err := open(ctx, dataDir, name, testLogger(t), externalCandidates(testLogger(t))[1:])
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(url3, "postgres://postgres@127.0.0.1:5432/") {
		t.Errorf("url = %s, want postgres@127.0.0.1:5432", url3)
	}
	checkDatabase(t, url3, name)

	if err := stop(); err != nil {
		t.Fatalf("stop for external server: %v", err)
	}
	if _, err := os.Stat(dataDir); !os.IsNotExist(err) {
		t.Errorf("external server path touched dataDir: %v", err)
	}
}

func checkDatabase(t *testing.T, url, name string) {
	t.Helper()
	ctx := t.Context()
	conn, err := connect(ctx, url)
	if err != nil {
		t.Fatalf("connect %s: %v", url, err)
	}
	defer conn.Close(ctx)
	var got string
	if err := conn.QueryRow(ctx, "select current_database()").Scan(&got); err != nil {
		t.Fatal(err)
	}
	if got != name {
		t.Fatalf("current_database() = %q, want %q", got, name)
	}
}

func TestServerBinaries(t *testing.T) {
	dir, err := ServerBinaries()
	if err != nil {
		t.Skipf("no PostgreSQL server binaries: %v", err)
	}
	for _, name := range []string{"postgres", "initdb", "pg_ctl"} {
		if !isExecutable(filepath.Join(dir, name)) {
			t.Errorf("%s missing in %s", name, dir)
		}
	}
	t.Logf("server binaries in %s", dir)
}
