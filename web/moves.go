package web

import (
	"time"

	"summitledger/internal/ledger"
)

// MovesView is the /moves page.
type MovesView struct {
	Window ledger.Window
	Moves  []ledger.Move
	Query  string // the window as a query string
}

// WindowText names a window for people: "1 January 2026 to 31 January 2026".
func WindowText(w ledger.Window) string {
	return longDay(w.Since) + " to " + longDay(w.Until)
}

// MoveText says what a move did: "Announced → Contracted", or "First
// recorded as Announced" for a deal's first update.
func MoveText(m ledger.Move) string {
	if m.From == "" {
		return "First recorded as " + m.To.Label()
	}
	return m.From.Label() + " → " + m.To.Label()
}

func dateValue(t time.Time) string { return t.Format(time.DateOnly) }
