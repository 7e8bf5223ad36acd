// Package devdb provides a zero-config local PostgreSQL database for
// development (`make run`) and tests.
//
// Open prefers a PostgreSQL server that already answers locally and falls
// back to a private cluster that it initialises and starts itself from the
// PostgreSQL server binaries installed on the machine.
package devdb

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net"
	"net/url"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5"
)

// connectTimeout bounds each attempt to reach a server.
const connectTimeout = 3 * time.Second

// Open returns a connection URL for a local database named dbname, creating
// the database if needed.
//
// It first tries a server that already answers locally: the libpq defaults
// (pgx.ParseConfig("") — honours PGHOST/PGPORT/PGUSER, default socket, OS
// user) and then postgres://postgres@127.0.0.1:5432. When none answers, it
// starts a private cluster whose data directory is dataDir (initdb once, then
// pg_ctl start) and the returned stop func stops it. stop is never nil (a
// no-op for an external server).
func Open(ctx context.Context, dataDir, dbname string, log *slog.Logger) (url string, stop func() error, err error) {
	return open(ctx, dataDir, dbname, log, externalCandidates(log))
}

// externalCandidates returns the configurations of the external servers Open
// tries, in order.
func externalCandidates(log *slog.Logger) []*pgx.ConnConfig {
	var candidates []*pgx.ConnConfig
	for _, s := range []string{"", "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable"} {
		cfg, err := pgx.ParseConfig(s)
		if err != nil {
			log.Debug("devdb: unusable connection settings", "conn", s, "err", err)
			continue
		}
		candidates = append(candidates, cfg)
	}
	return candidates
}

// open is Open with an explicit list of external servers to try.
func open(ctx context.Context, dataDir, dbname string, log *slog.Logger, candidates []*pgx.ConnConfig) (string, func() error, error) {
	noop := func() error { return nil }
	for _, cfg := range candidates {
		u, addr, answered, err := tryExternal(ctx, cfg, dbname)
		if err == nil {
			log.Info("using local PostgreSQL at "+addr, "url", redact(u))
			return u, noop, nil
		}
		if answered {
			log.Warn("devdb: skipping local PostgreSQL", "host", cfg.Host, "port", cfg.Port, "err", err)
		} else {
			log.Debug("devdb: no local PostgreSQL", "host", cfg.Host, "port", cfg.Port, "err", err)
		}
		if ctx.Err() != nil {
			return "", noop, fmt.Errorf("devdb: open: %w", ctx.Err())
		}
	}

	c, err := StartCluster(ctx, dataDir, log)
	if err != nil {
		return "", noop, err
	}
	if err := createDatabase(ctx, c.URL("postgres"), dbname); err != nil {
		return "", noop, errors.Join(err, c.Stop())
	}
	return c.URL(dbname), c.Stop, nil
}

// tryExternal connects to the maintenance database of the server described
// by cfg, creates dbname there if needed and returns a URL for dbname on the
// address that actually answered, plus that address for logging. answered
// reports whether a connection was established at all.
func tryExternal(ctx context.Context, cfg *pgx.ConnConfig, dbname string) (u, addr string, answered bool, err error) {
	cfg = cfg.Copy()
	cfg.Database = "postgres"
	cfg.ConnectTimeout = connectTimeout
	conn, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		return "", "", false, err
	}
	defer conn.Close(context.WithoutCancel(ctx))
	if err := ensureDatabase(ctx, conn, dbname); err != nil {
		return "", "", true, err
	}
	return externalURL(conn, cfg, dbname), conn.PgConn().Conn().RemoteAddr().String(), true, nil
}

// externalURL builds a URL for dbname on the address conn is connected to.
// Password and TLS settings are left out: pgx picks them up again from the
// environment (PGPASSWORD, ~/.pgpass, PGSSLMODE) when parsing the URL.
func externalURL(conn *pgx.Conn, cfg *pgx.ConnConfig, dbname string) string {
	u := url.URL{Scheme: "postgres", Path: "/" + dbname}
	if cfg.User != "" {
		u.User = url.User(cfg.User)
	}
	q := url.Values{}
	switch addr := conn.PgConn().Conn().RemoteAddr().(type) {
	case *net.UnixAddr:
		// The socket is <dir>/.s.PGSQL.<port>.
		q.Set("host", filepath.Dir(addr.Name))
		q.Set("port", strings.TrimPrefix(filepath.Base(addr.Name), ".s.PGSQL."))
	case *net.TCPAddr:
		u.Host = addr.String()
	default:
		u.Host = net.JoinHostPort(cfg.Host, strconv.Itoa(int(cfg.Port)))
	}
	u.RawQuery = q.Encode()
	return u.String()
}

// createDatabase connects to the server at maintURL and creates dbname if it
// does not exist.
func createDatabase(ctx context.Context, maintURL, dbname string) error {
	cfg, err := pgx.ParseConfig(maintURL)
	if err != nil {
		return fmt.Errorf("devdb: parse url: %w", err)
	}
	cfg.ConnectTimeout = connectTimeout
	conn, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		return fmt.Errorf("devdb: connect: %w", err)
	}
	defer conn.Close(context.WithoutCancel(ctx))
	return ensureDatabase(ctx, conn, dbname)
}

// ensureDatabase creates dbname over conn unless it already exists.
func ensureDatabase(ctx context.Context, conn *pgx.Conn, dbname string) error {
	var exists bool
	err := conn.QueryRow(ctx, "SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)", dbname).Scan(&exists)
	if err != nil {
		return fmt.Errorf("devdb: look up database %q: %w", dbname, err)
	}
	if exists {
		return nil
	}
	if _, err := conn.Exec(ctx, "CREATE DATABASE "+pgx.Identifier{dbname}.Sanitize()); err != nil {
		// A concurrent Open may have created it in the meantime.
		if err2 := conn.QueryRow(ctx, "SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)", dbname).Scan(&exists); err2 == nil && exists {
			return nil
		}
		return fmt.Errorf("devdb: create database %q: %w", dbname, err)
	}
	return nil
}

// redact hides any password in a URL for logging.
func redact(s string) string {
	if u, err := url.Parse(s); err == nil {
		return u.Redacted()
	}
	return s
}

// Cluster is a private PostgreSQL cluster started by StartCluster. It listens
// only on 127.0.0.1 (on a port chosen at start) and on a unix socket inside
// its data directory, with trust authentication for the superuser postgres.
type Cluster struct {
	dir  string
	bin  string
	port int
	cred *syscall.Credential // non-nil when the server runs as another user
	log  *slog.Logger

	stopOnce sync.Once
	stopErr  error
}

// URL returns a connection URL for database dbname on the cluster.
func (c *Cluster) URL(dbname string) string {
	u := url.URL{
		Scheme:   "postgres",
		User:     url.User("postgres"),
		Host:     net.JoinHostPort("127.0.0.1", strconv.Itoa(c.port)),
		Path:     "/" + dbname,
		RawQuery: "sslmode=disable",
	}
	return u.String()
}

// Stop shuts the cluster down (pg_ctl stop -m fast) and waits for it to exit.
// Calling Stop again returns the result of the first call.
func (c *Cluster) Stop() error {
	c.stopOnce.Do(func() {
		out, err := c.command(context.Background(), "pg_ctl", "stop", "-D", c.dir, "-m", "fast", "-w", "-t", "60").CombinedOutput()
		if err != nil {
			c.stopErr = fmt.Errorf("devdb: stop cluster in %s: %s: %w", c.dir, bytes.TrimSpace(out), err)
			return
		}
		c.log.Info("stopped private PostgreSQL cluster in " + c.dir)
	})
	return c.stopErr
}

// StartCluster starts (initialising on first use) a private cluster in dir,
// listening only on 127.0.0.1 on a free port and on a unix socket inside dir.
//
// When running as root, the server runs as the user "postgres" (or "nobody")
// and dir is chowned to that user. A postmaster.pid left behind by a crashed
// run is removed; a server from an earlier run that is still running in dir
// is reused, and Stop stops it.
func StartCluster(ctx context.Context, dir string, log *slog.Logger) (*Cluster, error) {
	bin, err := ServerBinaries()
	if err != nil {
		return nil, err
	}
	dir, err = filepath.Abs(dir)
	if err != nil {
		return nil, fmt.Errorf("devdb: data dir: %w", err)
	}
	c := &Cluster{dir: dir, bin: bin, log: log}
	if err := c.prepareDir(); err != nil {
		return nil, err
	}

	if _, err := os.Stat(filepath.Join(dir, "PG_VERSION")); errors.Is(err, fs.ErrNotExist) {
		out, err := c.command(ctx, "initdb", "-D", dir, "-U", "postgres", "--auth=trust",
			"--encoding=UTF8", "--locale=C", "--no-sync").CombinedOutput()
		if err != nil {
			return nil, fmt.Errorf("devdb: initdb %s: %s: %w", dir, tail(out, 20), err)
		}
		log.Info("initialised PostgreSQL cluster in " + dir)
	}

	if port, ok := c.leftover(); ok {
		c.port = port
		if err := c.ping(ctx, 10*time.Second); err != nil {
			return nil, fmt.Errorf("devdb: a PostgreSQL server is already running in %s but does not answer on port %d (stop it with `pg_ctl stop -D %s`): %w", dir, port, dir, err)
		}
		log.Info("reusing private PostgreSQL cluster already running in "+dir, "url", c.URL(""))
		return c, nil
	}

	if c.port, err = freePort(); err != nil {
		return nil, err
	}
	logFile := filepath.Join(dir, "postgres.log")
	opts := fmt.Sprintf("-k %s -h 127.0.0.1 -p %d", shellQuote(dir), c.port)
	out, err := c.command(ctx, "pg_ctl", "start", "-w", "-t", "60", "-D", dir, "-l", logFile, "-o", opts).CombinedOutput()
	if err != nil {
		logTail, _ := os.ReadFile(logFile)
		return nil, fmt.Errorf("devdb: start cluster in %s: %s\n%s: %w", dir, bytes.TrimSpace(out), tail(logTail, 20), err)
	}
	log.Info("started private PostgreSQL cluster in "+dir, "url", c.URL(""))
	return c, nil
}

// prepareDir creates the data directory and, when running as root, hands it
// to an unprivileged user that can reach it.
func (c *Cluster) prepareDir() error {
	if err := os.MkdirAll(filepath.Dir(c.dir), 0o755); err != nil {
		return fmt.Errorf("devdb: create data dir: %w", err)
	}
	if err := os.Mkdir(c.dir, 0o700); err != nil && !errors.Is(err, fs.ErrExist) {
		return fmt.Errorf("devdb: create data dir: %w", err)
	}
	if os.Geteuid() != 0 {
		return nil
	}

	// initdb and postgres refuse to run as root.
	var u *user.User
	var err error
	for _, name := range []string{"postgres", "nobody"} {
		if u, err = user.Lookup(name); err == nil {
			break
		}
	}
	if err != nil {
		return fmt.Errorf("devdb: running as root and found neither user postgres nor nobody to run PostgreSQL as: %w", err)
	}
	uid, err1 := strconv.ParseUint(u.Uid, 10, 32)
	gid, err2 := strconv.ParseUint(u.Gid, 10, 32)
	if err := errors.Join(err1, err2); err != nil {
		return fmt.Errorf("devdb: user %s: %w", u.Username, err)
	}
	c.cred = &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}

	for p := filepath.Dir(c.dir); ; p = filepath.Dir(p) {
		fi, err := os.Stat(p)
		if err != nil {
			return fmt.Errorf("devdb: data dir parent: %w", err)
		}
		if !canTraverse(fi, c.cred.Uid, c.cred.Gid) {
			return fmt.Errorf("devdb: running as root, PostgreSQL must run as user %s, but %s (mode %v) is not traversable by that user; chmod o+x it or use a data dir elsewhere: %w",
				u.Username, p, fi.Mode().Perm(), fs.ErrPermission)
		}
		if p == filepath.Dir(p) {
			break
		}
	}
	err = filepath.WalkDir(c.dir, func(path string, _ fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		return os.Lchown(path, int(uid), int(gid))
	})
	if err != nil {
		return fmt.Errorf("devdb: chown data dir to %s: %w", u.Username, err)
	}
	return nil
}

// canTraverse reports whether a user with uid/gid may search directory fi.
func canTraverse(fi fs.FileInfo, uid, gid uint32) bool {
	perm := fi.Mode().Perm()
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok {
		return perm&0o001 != 0
	}
	switch {
	case st.Uid == uid:
		return perm&0o100 != 0
	case st.Gid == gid:
		return perm&0o010 != 0
	default:
		return perm&0o001 != 0
	}
}

// leftover inspects dir/postmaster.pid. If a postmaster from an earlier run
// is still running in dir it returns its port; a stale file from a crashed
// run is removed.
func (c *Cluster) leftover() (port int, running bool) {
	pidFile := filepath.Join(c.dir, "postmaster.pid")
	data, err := os.ReadFile(pidFile)
	if err != nil {
		return 0, false
	}
	// Lines: pid, data dir, start time, port, socket dir, listen addr, ...
	lines := strings.Split(string(data), "\n")
	pid, _ := strconv.Atoi(strings.TrimSpace(lines[0]))
	if len(lines) > 3 {
		port, _ = strconv.Atoi(strings.TrimSpace(lines[3]))
	}
	if pid > 0 && postmasterAlive(pid, c.dir) {
		return port, true
	}
	c.log.Info("removing stale postmaster.pid in "+c.dir, "pid", pid)
	if err := os.Remove(pidFile); err != nil {
		c.log.Warn("devdb: remove stale postmaster.pid", "err", err)
	}
	return 0, false
}

// postmasterAlive reports whether process pid exists and, where /proc tells,
// is a server whose working directory is dir (postgres chdirs to its data
// directory), so that a pid reused by an unrelated process is not mistaken
// for the server.
func postmasterAlive(pid int, dir string) bool {
	if err := syscall.Kill(pid, 0); errors.Is(err, syscall.ESRCH) {
		return false
	}
	cwd, err := os.Readlink(fmt.Sprintf("/proc/%d/cwd", pid))
	if err != nil {
		return true // cannot tell; assume it is the server
	}
	a, errA := os.Stat(cwd)
	b, errB := os.Stat(dir)
	return errA == nil && errB == nil && os.SameFile(a, b)
}

// ping waits up to wait for the cluster to accept connections.
func (c *Cluster) ping(ctx context.Context, wait time.Duration) error {
	cfg, err := pgx.ParseConfig(c.URL("postgres"))
	if err != nil {
		return err
	}
	cfg.ConnectTimeout = connectTimeout
	deadline := time.Now().Add(wait)
	for {
		conn, err := pgx.ConnectConfig(ctx, cfg)
		if err == nil {
			return conn.Close(ctx)
		}
		if time.Now().After(deadline) || ctx.Err() != nil {
			return err
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// command builds an exec.Cmd for one of the server binaries, run as the
// unprivileged user when needed, in its own process group so that a Ctrl-C
// in the terminal reaches the application (which then calls Stop) rather
// than the server directly.
func (c *Cluster) command(ctx context.Context, name string, args ...string) *exec.Cmd {
	cmd := exec.CommandContext(ctx, filepath.Join(c.bin, name), args...)
	cmd.Dir = c.dir
	cmd.Env = append(os.Environ(), "LC_ALL=C")
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Credential: c.cred}
	return cmd
}

// freePort returns a TCP port on 127.0.0.1 that was free a moment ago.
func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, fmt.Errorf("devdb: find free port: %w", err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// shellQuote quotes s for /bin/sh, which pg_ctl uses to run postgres.
func shellQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// tail returns the last n lines of b.
func tail(b []byte, n int) string {
	lines := strings.Split(strings.TrimRight(string(b), "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}

// ServerBinaries finds the PostgreSQL server bin dir: `postgres` and `initdb`
// on PATH, else the newest /usr/lib/postgresql/*/bin. The returned directory
// also holds pg_ctl. When none is found, the error says what to install.
func ServerBinaries() (string, error) {
	var dirs []string
	if p, err := exec.LookPath("postgres"); err == nil {
		if _, err := exec.LookPath("initdb"); err == nil {
			// Distribution packages often put symlinks on PATH; the real
			// bin dir has pg_ctl next to postgres.
			if real, err := filepath.EvalSymlinks(p); err == nil {
				dirs = append(dirs, filepath.Dir(real))
			}
			dirs = append(dirs, filepath.Dir(p))
		}
	}
	versioned, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	slices.SortFunc(versioned, func(a, b string) int { return pgVersion(b) - pgVersion(a) })
	dirs = append(dirs, versioned...)

	for _, d := range dirs {
		if isExecutable(filepath.Join(d, "postgres")) && isExecutable(filepath.Join(d, "initdb")) && isExecutable(filepath.Join(d, "pg_ctl")) {
			return d, nil
		}
	}
	return "", fmt.Errorf("devdb: PostgreSQL server binaries (postgres, initdb, pg_ctl) not found on PATH or in /usr/lib/postgresql/*/bin; install them (Debian/Ubuntu: apt-get install postgresql; macOS: brew install postgresql) or run a local server: %w", fs.ErrNotExist)
}

// pgVersion extracts the major version from /usr/lib/postgresql/<v>/bin.
func pgVersion(binDir string) int {
	v, _ := strconv.Atoi(strings.Split(filepath.Base(filepath.Dir(binDir)), ".")[0])
	return v
}

// isExecutable reports whether path is a regular file with an execute bit.
func isExecutable(path string) bool {
	fi, err := os.Stat(path)
	return err == nil && fi.Mode().IsRegular() && fi.Mode().Perm()&0o111 != 0
}
