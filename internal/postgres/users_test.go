package postgres_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"summitledger/internal/ledger"
	"summitledger/internal/postgres/pgtest"
)

func TestUsers(t *testing.T) {
	ctx := context.Background()
	db := pgtest.New(t)
	const hash = "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0c2FsdA$a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2U"
	u := &ledger.User{Email: " Ada@Example.org ", Name: "Ada Editor", Role: ledger.RoleEditor}

	t.Run("creates a user with a revision that holds no hash and no email", func(t *testing.T) {
		if err := db.CreateUser(ctx, editor, u, hash); err != nil {
			t.Fatalf("CreateUser: %v", err)
		}
		if u.ID == 0 || u.CreatedAt.IsZero() {
			t.Errorf("user = %+v, want ID and CreatedAt set", u)
		}
		if got, want := u.Email, "Ada@Example.org"; got != want {
			t.Errorf("email = %q, want %q (trimmed)", got, want)
		}
		revs, err := db.RevisionsFor(ctx, "user", u.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(revs) != 1 || revs[0].Action != "create" {
			t.Fatalf("revisions = %+v, want one create", revs)
		}
		if after := string(revs[0].After); strings.Contains(after, "argon2") || strings.Contains(after, "Example.org") || !strings.Contains(after, "Ada Editor") {
			t.Errorf("revision after = %s, want the name and neither hash nor email", after)
		}
	})
	t.Run("finds the user and hash by email in any letter case", func(t *testing.T) {
		got, gotHash, err := db.UserByEmail(ctx, "ada@EXAMPLE.org")
		if err != nil {
			t.Fatalf("UserByEmail: %v", err)
		}
		if got.ID != u.ID || gotHash != hash {
			t.Errorf("UserByEmail = %+v, %q; want user %d and its hash", got, gotHash, u.ID)
		}
	})
	t.Run("an unknown email is not found", func(t *testing.T) {
		_, _, err := db.UserByEmail(ctx, "nobody@example.org")
		if got, want := ledger.ErrorCode(err), ledger.ENOTFOUND; got != want {
			t.Errorf("code = %q, want %q", got, want)
		}
	})
	t.Run("the same email in another case is a conflict", func(t *testing.T) {
		dup := &ledger.User{Email: "ADA@example.org", Name: "Other", Role: ledger.RoleAdmin}
		err := db.CreateUser(ctx, editor, dup, hash)
		if got, want := ledger.ErrorCode(err), ledger.ECONFLICT; got != want {
			t.Errorf("code = %q, want %q", got, want)
		}
	})
	t.Run("an invalid user is EINVALID with field messages", func(t *testing.T) {
		bad := &ledger.User{Email: "not an email", Role: "owner"}
		err := db.CreateUser(ctx, editor, bad, hash)
		var e *ledger.Error
		if !errors.As(err, &e) || e.Code != ledger.EINVALID {
			t.Fatalf("err = %v, want EINVALID", err)
		}
		for _, f := range []string{"email", "name", "role"} {
			if e.Fields[f] == "" {
				t.Errorf("no message for field %q in %v", f, e.Fields)
			}
		}
	})
	t.Run("disabling and enabling write revisions", func(t *testing.T) {
		got, err := db.SetUserDisabled(ctx, editor, u.ID, true)
		if err != nil {
			t.Fatal(err)
		}
		if !got.Disabled() {
			t.Errorf("after disable, Disabled() = false")
		}
		got, err = db.SetUserDisabled(ctx, editor, u.ID, false)
		if err != nil {
			t.Fatal(err)
		}
		if got.Disabled() {
			t.Errorf("after enable, Disabled() = true")
		}
		revs, _ := db.RevisionsFor(ctx, "user", u.ID)
		if got, want := len(revs), 3; got != want {
			t.Errorf("revisions = %d, want %d", got, want)
		}
	})
	t.Run("setting a password changes the hash and records only that it changed", func(t *testing.T) {
		newHash := strings.Replace(hash, "t=2", "t=3", 1)
		if err := db.SetUserPassword(ctx, editor, u.ID, newHash); err != nil {
			t.Fatal(err)
		}
		_, gotHash, _ := db.UserByEmail(ctx, u.Email)
		if gotHash != newHash {
			t.Errorf("hash = %q, want %q", gotHash, newHash)
		}
		revs, _ := db.RevisionsFor(ctx, "user", u.ID)
		if revs[0].Reason != "Password changed." || revs[0].Before != nil || revs[0].After != nil {
			t.Errorf("latest revision = %+v, want reason only", revs[0])
		}
	})
	t.Run("unknown ids are not found", func(t *testing.T) {
		if err := db.SetUserPassword(ctx, editor, 999999, hash); ledger.ErrorCode(err) != ledger.ENOTFOUND {
			t.Errorf("SetUserPassword err = %v, want not found", err)
		}
		if _, err := db.SetUserDisabled(ctx, editor, 999999, true); ledger.ErrorCode(err) != ledger.ENOTFOUND {
			t.Errorf("SetUserDisabled err = %v, want not found", err)
		}
		if _, err := db.User(ctx, 999999); ledger.ErrorCode(err) != ledger.ENOTFOUND {
			t.Errorf("User err = %v, want not found", err)
		}
	})
	t.Run("lists users by name", func(t *testing.T) {
		other := &ledger.User{Email: "zed@example.org", Name: "Aaron Admin", Role: ledger.RoleAdmin}
		if err := db.CreateUser(ctx, editor, other, hash); err != nil {
			t.Fatal(err)
		}
		users, err := db.Users(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(users) != 2 || users[0].Name != "Aaron Admin" || users[1].Name != "Ada Editor" {
			t.Errorf("users = %+v, want Aaron Admin then Ada Editor", users)
		}
	})
}

func TestDeleteExpiredSessions(t *testing.T) {
	ctx := context.Background()
	db := pgtest.New(t)
	_, err := db.Pool.Exec(ctx, `INSERT INTO sessions (token, data, expiry) VALUES
		('old', '', now() - interval '1 minute'), ('live', '', now() + interval '1 hour')`)
	if err != nil {
		t.Fatal(err)
	}
	n, err := db.DeleteExpiredSessions(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if n != 1 {
		t.Errorf("deleted %d, want 1", n)
	}
	var left string
	db.Pool.QueryRow(ctx, `SELECT string_agg(token, ',') FROM sessions`).Scan(&left)
	if left != "live" {
		t.Errorf("sessions left = %q, want live", left)
	}
}
