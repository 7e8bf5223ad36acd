package main

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"summitledger/internal/auth"
	"summitledger/internal/ledger"
	"summitledger/internal/postgres"
	"summitledger/internal/postgres/pgtest"
	"summitledger/internal/server"
)

// runLedger runs the command line as a person would, with stdin as input.
func runLedger(t *testing.T, stdin string, args ...string) (string, error) {
	t.Helper()
	var out bytes.Buffer
	err := run(context.Background(), args, strings.NewReader(stdin), &out, slog.New(slog.NewTextHandler(io.Discard, nil)))
	return out.String(), err
}

func TestUserCommand(t *testing.T) {
	url := pgtest.URL(t)
	t.Setenv("DATABASE_URL", url)
	ctx := context.Background()
	db, err := postgres.Open(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(db.Close)

	// signIn reports whether email and password would sign in.
	signIn := func(t *testing.T, email, password string) bool {
		t.Helper()
		u, hash, err := db.UserByEmail(ctx, email)
		if err != nil {
			t.Fatalf("UserByEmail(%q): %v", email, err)
		}
		ok, err := auth.VerifyPassword(password, hash)
		if err != nil {
			t.Fatal(err)
		}
		return ok && !u.Disabled()
	}

	t.Run("add reads the password from the first line of stdin", func(t *testing.T) {
		out, err := runLedger(t, "  spaced password  \nsecond line\n", "user", "add", "--email", "ada@example.org", "--name", "Ada Lovelace", "--role", "editor")
		if err != nil {
			t.Fatalf("user add: %v", err)
		}
		if !strings.Contains(out, "Added editor Ada Lovelace <ada@example.org>") {
			t.Errorf("output = %q, want it to confirm the user", out)
		}
		if !signIn(t, "ada@example.org", "  spaced password  ") {
			t.Errorf("the password as typed, spaces included, does not sign in")
		}
		u, _, _ := db.UserByEmail(ctx, "ada@example.org")
		if u.Role != ledger.RoleEditor || u.Name != "Ada Lovelace" {
			t.Errorf("user = %+v, want editor Ada Lovelace", u)
		}
	})
	t.Run("add accepts a last line without a newline and CRLF endings", func(t *testing.T) {
		if _, err := runLedger(t, "windows password\r\n", "user", "add", "--email", "bob@example.org", "--name", "Bob", "--role", "admin"); err != nil {
			t.Fatalf("user add: %v", err)
		}
		if !signIn(t, "bob@example.org", "windows password") {
			t.Errorf("the password without its CR does not sign in")
		}
	})
	t.Run("add refuses an empty password with a clear message", func(t *testing.T) {
		_, err := runLedger(t, "", "user", "add", "--email", "cy@example.org", "--name", "Cy", "--role", "editor")
		if err == nil || !strings.Contains(err.Error(), "no password on standard input") {
			t.Errorf("err = %v, want it to say no password was given", err)
		}
	})
	t.Run("add refuses a short password with a clear message", func(t *testing.T) {
		_, err := runLedger(t, "short\n", "user", "add", "--email", "cy@example.org", "--name", "Cy", "--role", "editor")
		if err == nil || !strings.Contains(err.Error(), "at least 8 characters") {
			t.Errorf("err = %v, want it to ask for at least 8 characters", err)
		}
		if _, _, err := db.UserByEmail(ctx, "cy@example.org"); ledger.ErrorCode(err) != ledger.ENOTFOUND {
			t.Errorf("a user was added despite the short password")
		}
	})
	t.Run("add refuses a bad role and a taken email", func(t *testing.T) {
		_, err := runLedger(t, "long enough\n", "user", "add", "--email", "cy@example.org", "--name", "Cy", "--role", "owner")
		if err == nil || !strings.Contains(err.Error(), "--role") {
			t.Errorf("bad role: err = %v, want a message about --role", err)
		}
		_, err = runLedger(t, "long enough\n", "user", "add", "--email", "ADA@example.org", "--name", "Ada again", "--role", "editor")
		if err == nil || !strings.Contains(err.Error(), "already exists") {
			t.Errorf("taken email: err = %v, want it to say the user exists", err)
		}
	})
	t.Run("set-password replaces the password", func(t *testing.T) {
		if _, err := runLedger(t, "a brand new secret\n", "user", "set-password", "--email", "ada@example.org"); err != nil {
			t.Fatalf("set-password: %v", err)
		}
		if !signIn(t, "ada@example.org", "a brand new secret") {
			t.Errorf("the new password does not sign in")
		}
		if signIn(t, "ada@example.org", "  spaced password  ") {
			t.Errorf("the old password still signs in")
		}
	})
	t.Run("disable and enable", func(t *testing.T) {
		if _, err := runLedger(t, "", "user", "disable", "--email", "ada@example.org"); err != nil {
			t.Fatalf("disable: %v", err)
		}
		if signIn(t, "ada@example.org", "a brand new secret") {
			t.Errorf("a disabled user can sign in")
		}
		if _, err := runLedger(t, "", "user", "enable", "--email", "ada@example.org"); err != nil {
			t.Fatalf("enable: %v", err)
		}
		if !signIn(t, "ada@example.org", "a brand new secret") {
			t.Errorf("a re-enabled user cannot sign in")
		}
	})
	t.Run("an unknown email is a clear error", func(t *testing.T) {
		_, err := runLedger(t, "", "user", "disable", "--email", "nobody@example.org")
		if err == nil || !strings.Contains(err.Error(), "no user has that email") {
			t.Errorf("err = %v, want it to say no user has that email", err)
		}
	})
	t.Run("list shows every user", func(t *testing.T) {
		out, err := runLedger(t, "", "user", "list")
		if err != nil {
			t.Fatal(err)
		}
		for _, want := range []string{"ada@example.org", "bob@example.org\tBob\tadmin"} {
			if !strings.Contains(out, want) {
				t.Errorf("list = %q, want it to contain %q", out, want)
			}
		}
	})
	t.Run("every change left a revision", func(t *testing.T) {
		u, _, _ := db.UserByEmail(ctx, "ada@example.org")
		revs, err := db.RevisionsFor(ctx, "user", u.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := len(revs), 4; got != want { // add, set-password, disable, enable
			t.Errorf("revisions = %d, want %d", got, want)
		}
		if revs[0].ActorName != "command line" {
			t.Errorf("actor = %q, want command line", revs[0].ActorName)
		}
	})
}

// TestUserCommandEndsSessions shows, end to end, that a password set on the
// command line and a disabled account end the user's sessions in a running
// server, on every device, and that re-enabling the account revives none.
func TestUserCommandEndsSessions(t *testing.T) {
	dbURL := pgtest.URL(t)
	t.Setenv("DATABASE_URL", dbURL)
	ctx := context.Background()
	db, err := postgres.Open(ctx, dbURL)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(db.Close)
	ts := httptest.NewServer(server.New(db, slog.New(slog.NewTextHandler(io.Discard, nil))).Routes())
	t.Cleanup(ts.Close)
	if _, err := runLedger(t, "first password\n", "user", "add", "--email", "ed@example.org", "--name", "Ed", "--role", "editor"); err != nil {
		t.Fatal(err)
	}

	// signIn returns a browser signed in as ed with password.
	signIn := func(t *testing.T, password string) *http.Client {
		t.Helper()
		jar, _ := cookiejar.New(nil)
		c := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
		resp, err := c.PostForm(ts.URL+"/login", url.Values{"email": {"ed@example.org"}, "password": {password}})
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("sign in: status %d, want 303", resp.StatusCode)
		}
		return c
	}
	// signedIn reports whether c may open the editor's new-deal form.
	signedIn := func(t *testing.T, c *http.Client) bool {
		t.Helper()
		resp, err := c.Get(ts.URL + "/deals/new")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode == http.StatusOK
	}

	t.Run("set-password signs the user out everywhere", func(t *testing.T) {
		phone, laptop := signIn(t, "first password"), signIn(t, "first password")
		if !signedIn(t, phone) || !signedIn(t, laptop) {
			t.Fatal("not signed in before the change")
		}
		if _, err := runLedger(t, "second password\n", "user", "set-password", "--email", "ed@example.org"); err != nil {
			t.Fatal(err)
		}
		if signedIn(t, phone) || signedIn(t, laptop) {
			t.Errorf("a session signed in with the old password still works")
		}
		if !signedIn(t, signIn(t, "second password")) {
			t.Errorf("the new password does not make a working session")
		}
	})
	t.Run("disable then enable revives no old session", func(t *testing.T) {
		c := signIn(t, "second password")
		for _, sub := range []string{"disable", "enable"} {
			if _, err := runLedger(t, "", "user", sub, "--email", "ed@example.org"); err != nil {
				t.Fatal(err)
			}
		}
		if signedIn(t, c) {
			t.Errorf("the session from before the disable works again after the enable")
		}
		if !signedIn(t, signIn(t, "second password")) {
			t.Errorf("the re-enabled user cannot sign in afresh")
		}
	})
}
