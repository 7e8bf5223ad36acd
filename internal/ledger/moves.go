package ledger

import "time"

// MaxMoves is the most moves one window lists.
const MaxMoves = 2000

// Move is a deal's stage changing: the in-force status update that set a
// stage other than the one before it, with its primary source.
type Move struct {
	UpdateID   int64
	On         time.Time
	Precision  Precision
	From, To   Stage // From is "" for a deal's first update
	Deal       DealRef
	Source     Source // the update's primary source; zero when it has none
	RecordedAt time.Time
}

// Window is a span of days, both included.
type Window struct {
	Since, Until time.Time
}

// Validate checks that the window runs forward and is at most ten years long.
func (w Window) Validate() error {
	if w.Until.Before(w.Since) {
		return Errorf(EINVALID, "The window ends (%s) before it starts (%s).", w.Until.Format(time.DateOnly), w.Since.Format(time.DateOnly))
	}
	if w.Until.Sub(w.Since) > 10*366*24*time.Hour {
		return Errorf(EINVALID, "Choose a window of ten years or less.")
	}
	return nil
}
