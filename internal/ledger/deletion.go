package ledger

import (
	"strings"
	"unicode/utf8"
)

// MaxReasonLength is the longest reason for a deletion or a restore, in
// characters: the form and the store count the same way, so a reason the
// form takes is never refused when stored.
const MaxReasonLength = 2000

// ValidateReason checks the reason given for deleting or restoring a record.
func ValidateReason(reason string) error {
	var fe FieldErrors
	fe.Check(strings.TrimSpace(reason) != "", "reason", "Give a reason.")
	fe.Check(utf8.RuneCountInString(reason) <= MaxReasonLength, "reason", "Keep the reason to 2,000 characters or fewer.")
	return fe.Err()
}

// Deleted reports whether the deal was soft-deleted: it then leaves every
// public list and total, and its page answers 410 Gone to readers.
func (d *Deal) Deleted() bool { return !d.DeletedAt.IsZero() }

// Deleted reports whether the priority was soft-deleted.
func (p *Priority) Deleted() bool { return !p.DeletedAt.IsZero() }
