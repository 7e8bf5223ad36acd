package ledger

import (
	"regexp"
	"strings"
	"time"
	"unicode/utf8"
)

// Role is what a signed-in person may do. Readers need no account.
type Role string

// The roles: an editor keeps the ledger true; an admin also manages users
// and restores deleted records.
const (
	RoleEditor Role = "editor"
	RoleAdmin  Role = "admin"
)

// Valid reports whether r is editor or admin.
func (r Role) Valid() bool { return r == RoleEditor || r == RoleAdmin }

// Password lengths, counted in characters. The maximum only bounds the work
// of hashing; nothing longer is ever cut short, and there are no composition
// rules (NIST SP 800-63B).
const (
	MinPasswordLength = 8
	MaxPasswordLength = 1024
)

// User is a person who can sign in. The password hash is kept apart from it
// so that it never reaches a page, a log line or a revision.
type User struct {
	ID         int64
	Email      string
	Name       string
	Role       Role
	DisabledAt time.Time // zero while the account may sign in
	CreatedAt  time.Time
	// SessionEpoch moves on when the password changes or the account is
	// disabled; a session signed in under an older one has ended.
	SessionEpoch int
}

// Disabled reports whether the account may no longer sign in.
func (u *User) Disabled() bool { return !u.DisabledAt.IsZero() }

// IsAdmin reports whether u may manage users.
func (u *User) IsAdmin() bool { return u.Role == RoleAdmin }

// emailRE matches the schema's check: something, an @, something, no spaces.
var emailRE = regexp.MustCompile(`^[^@\s]+@[^@\s]+$`)

// ValidEmail reports whether email can be an account's address: shaped like
// one, and text PostgreSQL can store (valid UTF-8, no control characters).
func ValidEmail(email string) bool {
	return emailRE.MatchString(email) && len(email) <= 254 && plainText(email)
}

// plainText reports whether s is valid UTF-8 without control characters:
// PostgreSQL refuses NUL and invalid UTF-8, and no name needs the rest.
func plainText(s string) bool {
	return utf8.ValidString(s) && !strings.ContainsFunc(s, func(r rune) bool { return r < 0x20 || r == 0x7f })
}

// NormalizeEmail trims the spaces people paste around an address.
func NormalizeEmail(email string) string { return strings.TrimSpace(email) }

// Validate checks the user's own fields.
func (u *User) Validate() error {
	var fe FieldErrors
	fe.Check(u.Email != "", "email", "Enter an email address.")
	fe.Check(ValidEmail(u.Email), "email", "Enter an email address like name@example.org.")
	fe.Check(strings.TrimSpace(u.Name) != "", "name", "Enter a name.")
	fe.Check(plainText(u.Name), "name", "Remove the control characters from the name.")
	fe.Check(utf8.RuneCountInString(u.Name) <= 200, "name", "Keep the name to 200 characters or fewer.")
	fe.Check(u.Role.Valid(), "role", "Choose a role: editor or admin.")
	return fe.Err()
}

// ValidatePassword checks a new password's length in characters, as typed:
// spaces and every other character count, and nothing is trimmed.
func ValidatePassword(password string) error {
	var fe FieldErrors
	n := utf8.RuneCountInString(password)
	fe.Check(n > 0, "password", "Enter a password.")
	fe.Check(n >= MinPasswordLength, "password", "Use a password of at least 8 characters.")
	fe.Check(n <= MaxPasswordLength, "password", "Keep the password to 1,024 characters or fewer.")
	return fe.Err()
}
