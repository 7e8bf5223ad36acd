package ledger_test

import (
	"strings"
	"testing"

	"summitledger/internal/ledger"
)

func TestValidatePassword(t *testing.T) {
	for _, tc := range []struct {
		name     string
		password string
		ok       bool
	}{
		{"empty is refused", "", false},
		{"seven characters are too few", "abcdefg", false},
		{"eight characters are enough", "abcdefgh", true},
		{"length counts characters, not bytes", strings.Repeat("é", 8), true},
		{"seven two-byte characters are still too few", strings.Repeat("é", 7), false},
		{"spaces count and are kept", "        ", true},
		{"no composition rules", "aaaaaaaa", true},
		{"1024 characters are allowed", strings.Repeat("🔑", 1024), true},
		{"1025 characters are too many", strings.Repeat("a", 1025), false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := ledger.ValidatePassword(tc.password)
			if got := err == nil; got != tc.ok {
				t.Errorf("ValidatePassword ok = %v, want %v (err %v)", got, tc.ok, err)
			}
			if err != nil && ledger.ErrorCode(err) != ledger.EINVALID {
				t.Errorf("code = %q, want invalid", ledger.ErrorCode(err))
			}
		})
	}
}

func TestUserValidate(t *testing.T) {
	good := ledger.User{Email: "ada@example.org", Name: "Ada", Role: ledger.RoleEditor}
	if err := good.Validate(); err != nil {
		t.Errorf("valid user: %v", err)
	}
	for _, tc := range []struct {
		name  string
		edit  func(*ledger.User)
		field string
	}{
		{"email needs an @", func(u *ledger.User) { u.Email = "ada.example.org" }, "email"},
		{"email has no spaces", func(u *ledger.User) { u.Email = "ada lovelace@example.org" }, "email"},
		{"name is required", func(u *ledger.User) { u.Name = "  " }, "name"},
		{"role is editor or admin", func(u *ledger.User) { u.Role = "reader" }, "role"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			u := good
			tc.edit(&u)
			var e *ledger.Error
			err := u.Validate()
			if !asLedgerError(err, &e) || e.Fields[tc.field] == "" {
				t.Errorf("Validate = %v, want a message for %q", err, tc.field)
			}
		})
	}
}

func asLedgerError(err error, target **ledger.Error) bool {
	e, ok := err.(*ledger.Error)
	*target = e
	return ok
}
