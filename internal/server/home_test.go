package server_test

import (
	"strings"
	"testing"
	"time"

	"summitledger/internal/ledger"
)

// TestGoneQuiet: a deal goes quiet when its latest update is old, however
// long ago it entered its stage.
func TestGoneQuiet(t *testing.T) {
	ts, db := newServer(t)
	day := func(daysAgo int) string { return time.Now().UTC().AddDate(0, 0, -daysAgo).Format(time.DateOnly) }
	addDeal(t, db, "Steady pipeline", []string{"KZ"}, ledger.StageUnderWay, day(300), ledger.StageUnderWay, day(10))
	addDeal(t, db, "Silent pipeline", []string{"KZ"}, ledger.StageUnderWay, day(300))
	quiet := textOf(fetch(t, ts.URL+"/").doc.Find(".stale-list"))
	if !strings.Contains(quiet, "Silent pipeline") {
		t.Errorf("gone quiet = %q, want the deal whose only update is 300 days old", quiet)
	}
	if strings.Contains(quiet, "Steady pipeline") {
		t.Errorf("gone quiet = %q, want no deal updated 10 days ago, though at its stage for 300", quiet)
	}
}
