package auth

import (
	"crypto/rand"
	"fmt"

	"golang.org/x/crypto/argon2"
)

// UnusableHash returns a well-formed argon2id hash that no password matches:
// its key is random bytes, derived from no password. It stands in for a
// password not set yet (users restored from a backup made without secrets),
// so that signing in answers "incorrect" like any wrong password rather
// than failing on a malformed hash.
func UnusableHash() string {
	p := DefaultParams
	salt, key := make([]byte, p.SaltLength), make([]byte, p.KeyLength)
	rand.Read(salt) //nolint:errcheck // crypto/rand.Read never fails
	rand.Read(key)  //nolint:errcheck // crypto/rand.Read never fails
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s",
		argon2.Version, p.Memory, p.Time, p.Parallelism, b64.EncodeToString(salt), b64.EncodeToString(key))
}
