package auth_test

import (
	"encoding/base64"
	"strings"
	"testing"

	"golang.org/x/crypto/argon2"

	"summitledger/internal/auth"
)

func TestHashPassword(t *testing.T) {
	const pw = "correct horse battery staple"
	h, err := auth.HashPassword(pw)
	if err != nil {
		t.Fatal(err)
	}

	t.Run("writes the parameters into the PHC string", func(t *testing.T) {
		if want := "$argon2id$v=19$m=19456,t=2,p=1$"; !strings.HasPrefix(h, want) {
			t.Errorf("hash = %q, want prefix %q", h, want)
		}
		p, err := auth.ParamsOf(h)
		if err != nil {
			t.Fatal(err)
		}
		if want := auth.DefaultParams; p != want {
			t.Errorf("params = %+v, want %+v", p, want)
		}
	})
	t.Run("the right password verifies", func(t *testing.T) {
		ok, err := auth.VerifyPassword(pw, h)
		if err != nil || !ok {
			t.Errorf("VerifyPassword = %v, %v; want true", ok, err)
		}
	})
	t.Run("a wrong password does not", func(t *testing.T) {
		for _, wrong := range []string{"", "correct horse battery stapl", pw + " ", strings.ToUpper(pw)} {
			if ok, err := auth.VerifyPassword(wrong, h); err != nil || ok {
				t.Errorf("VerifyPassword(%q) = %v, %v; want false", wrong, ok, err)
			}
		}
	})
	t.Run("each hash has its own salt", func(t *testing.T) {
		h2, _ := auth.HashPassword(pw)
		if h2 == h {
			t.Errorf("two hashes of one password are equal: %q", h)
		}
	})
	t.Run("a long password is not truncated", func(t *testing.T) {
		long := strings.Repeat("é", 1024)
		lh, err := auth.HashPassword(long)
		if err != nil {
			t.Fatal(err)
		}
		if ok, _ := auth.VerifyPassword(long[:len(long)-2], lh); ok {
			t.Errorf("a prefix of a long password verifies")
		}
		if ok, _ := auth.VerifyPassword(long, lh); !ok {
			t.Errorf("the long password does not verify")
		}
	})
	t.Run("a hash made with other parameters verifies with those parameters", func(t *testing.T) {
		salt := []byte("somesaltsomesalt")
		key := argon2.IDKey([]byte("password"), salt, 1, 64, 1, 32)
		b64 := base64.RawStdEncoding
		old := "$argon2id$v=19$m=64,t=1,p=1$" + b64.EncodeToString(salt) + "$" + b64.EncodeToString(key)
		if ok, err := auth.VerifyPassword("password", old); err != nil || !ok {
			t.Errorf("VerifyPassword = %v, %v; want true", ok, err)
		}
		if ok, err := auth.VerifyPassword("Password", old); err != nil || ok {
			t.Errorf("VerifyPassword(wrong) = %v, %v; want false", ok, err)
		}
	})
	t.Run("malformed hashes are refused", func(t *testing.T) {
		for _, bad := range []string{
			"",
			"plaintext",
			"$argon2i$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0c2FsdA$a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2U",
			"$argon2id$v=16$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0c2FsdA$a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2U",
			"$argon2id$v=19$m=99999999,t=2,p=1$c2FsdHNhbHRzYWx0c2FsdA$a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2U",
			"$argon2id$v=19$m=19456,t=2,p=1$!!!$a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2U",
		} {
			if _, err := auth.VerifyPassword(pw, bad); err == nil {
				t.Errorf("VerifyPassword(%q) err = nil, want an error", bad)
			}
		}
	})
	t.Run("the dummy verification never succeeds", func(t *testing.T) {
		if auth.VerifyDummy(pw) {
			t.Errorf("VerifyDummy = true")
		}
	})
}
