// Package ledger holds Summit Ledger's domain: summits, countries, priorities,
// deals and their status updates, the stage vocabulary, validation and errors.
// It knows nothing of HTTP or SQL.
package ledger

import (
	"errors"
	"fmt"
)

// Error codes, one per way a request can fail.
const (
	ECONFLICT     = "conflict"     // the record changed since it was read
	EINTERNAL     = "internal"     // a bug or an outage
	EINVALID      = "invalid"      // the input breaks a rule
	ENOTFOUND     = "not_found"    // no such record
	EUNAUTHORIZED = "unauthorized" // not signed in, or not allowed
)

// Error is the application's one error type: a code, a message fit for a
// person to read, and for EINVALID the message for each offending field.
type Error struct {
	Code    string
	Message string
	Fields  map[string]string
}

// Error implements the error interface.
func (e *Error) Error() string {
	return fmt.Sprintf("ledger error: code=%s message=%s", e.Code, e.Message)
}

// Errorf returns an *Error with the code and a formatted message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of the first *Error in err's chain, EINTERNAL
// for any other error, and "" for nil.
func ErrorCode(err error) string {
	var e *Error
	if err == nil {
		return ""
	} else if errors.As(err, &e) {
		return e.Code
	}
	return EINTERNAL
}

// ErrorMessage returns the person-readable message of err; internal errors
// get a generic one so that no detail leaks.
func ErrorMessage(err error) string {
	var e *Error
	if err == nil {
		return ""
	} else if errors.As(err, &e) {
		return e.Message
	}
	return "Internal error."
}

// FieldErrors collects per-field validation messages in the order they were found.
type FieldErrors struct {
	Order  []string
	Fields map[string]string
}

// Add records msg for field unless the field already has one.
func (f *FieldErrors) Add(field, msg string) {
	if f.Fields == nil {
		f.Fields = map[string]string{}
	}
	if _, ok := f.Fields[field]; ok {
		return
	}
	f.Order = append(f.Order, field)
	f.Fields[field] = msg
}

// Check adds msg for field when ok is false.
func (f *FieldErrors) Check(ok bool, field, msg string) {
	if !ok {
		f.Add(field, msg)
	}
}

// Err returns nil when nothing was added, else an EINVALID *Error.
func (f *FieldErrors) Err() error {
	if len(f.Fields) == 0 {
		return nil
	}
	return &Error{Code: EINVALID, Message: "Please correct the highlighted fields.", Fields: f.Fields}
}

// maxQuoted is how many characters of a value a message repeats.
const maxQuoted = 60

// Quote returns s quoted for a message that names a value someone sent,
// cut to 60 characters: a message never grows with what was sent, so no
// address can make an error page as long as itself.
func Quote(s string) string {
	if r := []rune(s); len(r) > maxQuoted {
		s = string(r[:maxQuoted-1]) + "…"
	}
	return fmt.Sprintf("%q", s)
}
