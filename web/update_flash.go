package web

import (
	"strconv"

	"summitledger/internal/ledger"
)

// UpdateLogged is the message after a status update at stage reported is
// saved, given the deal as it stands now (nil when it could not be read).
// An update at another stage than the deal's is older than the one that
// sets it: the message says the stage stays, and which update sets it.
func UpdateLogged(reported ledger.Stage, now *ledger.Deal) string {
	switch {
	case now == nil:
		return "Status update logged."
	case reported != now.Stage && !now.StageOn.IsZero():
		return "Recorded. The deal stays at \u201c" + now.Stage.Label() + "\u201d: a later update, of " +
			dayText(now.StageOn) + ", sets its stage."
	}
	return "Status update logged: " + stageNow(now)
}

// CorrectionSaved is the message after a correction of update id is saved,
// given the deal as it stands now (nil when it could not be read).
func CorrectionSaved(id int64, now *ledger.Deal) string {
	msg := "Correction saved: update #" + strconv.FormatInt(id, 10) + " stays on the timeline, marked as corrected"
	if now == nil {
		return msg + "."
	}
	return msg + "; " + stageNow(now)
}

// stageNow is "the deal is at “Contracted” since 6 Nov 2025."
func stageNow(d *ledger.Deal) string {
	msg := "the deal is at \u201c" + d.Stage.Label() + "\u201d"
	if d.StageOn.IsZero() {
		return msg + "."
	}
	return msg + " since " + dayText(d.StageOn) + "."
}
