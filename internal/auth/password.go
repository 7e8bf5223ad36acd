// Package auth holds Summit Ledger's password hashing and session settings.
package auth

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"sync"

	"golang.org/x/crypto/argon2"
)

// Params are argon2id's cost parameters. They are written into every hash,
// so a hash verifies the same on any machine and old hashes keep working
// when the parameters change.
type Params struct {
	Memory      uint32 // KiB
	Time        uint32 // passes
	Parallelism uint8  // lanes; fixed, never the machine's CPU count
	SaltLength  uint32 // bytes
	KeyLength   uint32 // bytes
}

// DefaultParams follow OWASP's argon2id recommendation of 19 MiB, two passes
// and one lane: a sign-in costs tens of milliseconds and 19 MiB, which a
// two-core server can afford under the login throttle.
var DefaultParams = Params{Memory: 19 * 1024, Time: 2, Parallelism: 1, SaltLength: 16, KeyLength: 32}

// ErrMalformedHash reports a stored hash this package cannot read.
var ErrMalformedHash = errors.New("auth: malformed password hash")

// b64 is the PHC string format's encoding: standard base64 without padding.
var b64 = base64.RawStdEncoding

// HashPassword returns password's argon2id hash in the PHC string format,
// $argon2id$v=19$m=19456,t=2,p=1$salt$key, with a fresh random salt.
func HashPassword(password string) (string, error) {
	return hashWith(password, DefaultParams)
}

func hashWith(password string, p Params) (string, error) {
	salt := make([]byte, p.SaltLength)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("auth: salt: %w", err)
	}
	key := argon2.IDKey([]byte(password), salt, p.Time, p.Memory, p.Parallelism, p.KeyLength)
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s",
		argon2.Version, p.Memory, p.Time, p.Parallelism, b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

// VerifyPassword reports whether password matches encoded, comparing in
// constant time with the parameters written in encoded.
func VerifyPassword(password, encoded string) (bool, error) {
	p, salt, key, err := decodeHash(encoded)
	if err != nil {
		return false, err
	}
	got := argon2.IDKey([]byte(password), salt, p.Time, p.Memory, p.Parallelism, p.KeyLength)
	return subtle.ConstantTimeCompare(got, key) == 1, nil
}

// dummyHash is a hash of a random password, made once on first use.
var dummyHash = sync.OnceValue(func() string {
	pw := make([]byte, 32)
	rand.Read(pw) //nolint:errcheck // crypto/rand.Read never fails
	h, err := HashPassword(string(pw))
	if err != nil {
		panic(err)
	}
	return h
})

// VerifyDummy does the work of a failed verification for a sign-in with an
// unknown email, so that the answer's timing does not tell which emails
// have accounts. It always returns false.
func VerifyDummy(password string) bool {
	VerifyPassword(password, dummyHash()) //nolint:errcheck // the dummy hash is well formed
	return false
}

// ParamsOf returns the parameters written in encoded.
func ParamsOf(encoded string) (Params, error) {
	p, _, _, err := decodeHash(encoded)
	return p, err
}

// decodeHash parses a PHC string, refusing parameters far outside what this
// package writes so that a corrupt row cannot make a sign-in exhaust memory.
func decodeHash(encoded string) (p Params, salt, key []byte, err error) {
	parts := strings.Split(encoded, "$")
	if len(parts) != 6 || parts[0] != "" || parts[1] != "argon2id" {
		return p, nil, nil, ErrMalformedHash
	}
	var version int
	if _, err := fmt.Sscanf(parts[2], "v=%d", &version); err != nil || version != argon2.Version {
		return p, nil, nil, ErrMalformedHash
	}
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &p.Memory, &p.Time, &p.Parallelism); err != nil {
		return p, nil, nil, ErrMalformedHash
	}
	if p.Memory < 8 || p.Memory > 1024*1024 || p.Time < 1 || p.Time > 16 || p.Parallelism < 1 || p.Parallelism > 16 {
		return p, nil, nil, ErrMalformedHash
	}
	if salt, err = b64.Strict().DecodeString(parts[4]); err != nil || len(salt) < 8 || len(salt) > 64 {
		return p, nil, nil, ErrMalformedHash
	}
	if key, err = b64.Strict().DecodeString(parts[5]); err != nil || len(key) < 16 || len(key) > 64 {
		return p, nil, nil, ErrMalformedHash
	}
	p.SaltLength, p.KeyLength = uint32(len(salt)), uint32(len(key))
	return p, salt, key, nil
}
