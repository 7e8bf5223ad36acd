package ledger

// Deleted reports whether the deal was soft-deleted: it then leaves every
// public list and total, and its page answers 410 Gone to readers.
func (d *Deal) Deleted() bool { return !d.DeletedAt.IsZero() }

// Deleted reports whether the priority was soft-deleted.
func (p *Priority) Deleted() bool { return !p.DeletedAt.IsZero() }
