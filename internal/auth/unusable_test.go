package auth_test

import (
	"testing"

	"summitledger/internal/auth"
)

func TestUnusableHash(t *testing.T) {
	h := auth.UnusableHash()
	t.Run("is well formed, so verifying it is not an error", func(t *testing.T) {
		for _, pw := range []string{"", "password", "correct horse battery staple"} {
			ok, err := auth.VerifyPassword(pw, h)
			if err != nil {
				t.Fatalf("VerifyPassword(%q) error = %v, want none", pw, err)
			}
			if ok {
				t.Errorf("VerifyPassword(%q) = true, want false", pw)
			}
		}
	})
	t.Run("differs on every call", func(t *testing.T) {
		if h2 := auth.UnusableHash(); h2 == h {
			t.Errorf("two calls returned the same hash %q", h)
		}
	})
}
