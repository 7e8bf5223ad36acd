package web

import (
	"fmt"
	"strconv"
	"time"

	"summitledger/internal/ledger"
)

// Charts are server-rendered SVG with no JavaScript. Each one is a <figure>:
// the SVG (role="img", its <title> and <desc> named by aria-labelledby) and,
// under it, the same numbers as a compact list or table, so that nothing is
// told by colour alone and screen readers get the figures.
//
// Component API (see charts.templ):
//
//	@StageBars(StageChart{ID: "stages", Title: "Deals by stage", Bars: StageBarsFrom(counts)})
//	@ScoreboardChart(Scoreboard{ID: "scoreboard", Title: "Declarations and deals by country", Rows: rows})
//	@StageTrack(TrackFrom(updates))
//	@Map(MapView{ID: "map", Title: "…", Countries: []MapCountry{…}})   (map.templ)
//
// IDs must be unique on the page: they prefix the ids of <title>, <desc>
// and the hatch patterns. An empty Desc is written from the numbers.

// StageChart is the view model of StageBars: one horizontal bar per stage.
type StageChart struct {
	ID    string // unique on the page, e.g. "stages" or "kz-stages"
	Title string // the chart's name: the SVG <title> and the list's label
	Desc  string // a one-sentence summary for screen readers; empty = written from Bars
	Bars  []StageBar
}

// StageBar is one stage's count. Label defaults to the stage's own label.
type StageBar struct {
	Stage ledger.Stage
	Label string
	Count int
}

// StageBarsFrom returns one bar per stage, in the stages' order, from counts
// keyed by stage (missing stages count zero).
func StageBarsFrom(counts map[ledger.Stage]int) []StageBar {
	var bars []StageBar
	for _, s := range ledger.Stages() {
		bars = append(bars, StageBar{Stage: s.Key, Label: s.Label, Count: counts[s.Key]})
	}
	return bars
}

// Scoreboard is the view model of ScoreboardChart: per country, how many of
// its tracked commitments are deals (contracted, under way, delivered),
// declarations (proposed, announced, agreed) and other (stalled, cancelled).
type Scoreboard struct {
	ID    string // unique on the page
	Title string
	Desc  string // empty = written from Rows
	Rows  []ScoreRow
}

// ScoreRow is one country's tally; Href links its name in the table.
type ScoreRow struct {
	Name         string
	Href         string
	Deals        int
	Declarations int
	Other        int
}

// Total is the number of commitments the row counts.
func (r ScoreRow) Total() int { return r.Deals + r.Declarations + r.Other }

// TrackStep is one step of the path a deal took: a stage and the day it was reached.
type TrackStep struct {
	Stage ledger.Stage
	On    time.Time
	Href  string // optional link to the update that set it, e.g. "#update-42"
}

// TrackFrom turns a deal's status updates (any order) into the path it took:
// oldest first, corrected updates left out, repeats of a stage merged into
// the first day it was reached.
func TrackFrom(updates []ledger.StatusUpdate) []TrackStep {
	corrected := map[int64]bool{}
	for _, u := range updates {
		if u.CorrectsID != 0 {
			corrected[u.CorrectsID] = true
		}
	}
	var live []ledger.StatusUpdate
	for _, u := range updates {
		if !corrected[u.ID] {
			live = append(live, u)
		}
	}
	// Insertion sort by (occurred_on, id): the same order as the stage rule.
	for i := 1; i < len(live); i++ {
		for j := i; j > 0 && updateBefore(live[j], live[j-1]); j-- {
			live[j], live[j-1] = live[j-1], live[j]
		}
	}
	var steps []TrackStep
	for _, u := range live {
		if n := len(steps); n > 0 && steps[n-1].Stage == u.Stage {
			continue
		}
		steps = append(steps, TrackStep{Stage: u.Stage, On: u.OccurredOn, Href: "#update-" + strconv.FormatInt(u.ID, 10)})
	}
	return steps
}

func updateBefore(a, b ledger.StatusUpdate) bool {
	if !a.OccurredOn.Equal(b.OccurredOn) {
		return a.OccurredOn.Before(b.OccurredOn)
	}
	return a.ID < b.ID
}

// chartMaxPct is how much of the width the longest bar takes; the rest
// leaves room for its count.
const chartMaxPct = 86.0

// chartPct returns n's share of max as an SVG percentage length.
func chartPct(n, max int) string {
	if max <= 0 || n <= 0 {
		return "0%"
	}
	return strconv.FormatFloat(float64(n)*chartMaxPct/float64(max), 'f', 2, 64) + "%"
}

// chartOffsetPct returns the percentage at which a segment starting after
// `before` units begins.
func chartOffsetPct(before, max int) string { return chartPct(before, max) }

func stageBarsMax(bars []StageBar) int {
	m := 0
	for _, b := range bars {
		m = max(m, b.Count)
	}
	return m
}

func scoreMax(rows []ScoreRow) int {
	m := 0
	for _, r := range rows {
		m = max(m, r.Total())
	}
	return m
}

// stageClass is the CSS class that colours a stage by what it counts as.
func stageClass(s ledger.Stage) string {
	c := s.Info().Class
	if c == "" {
		c = ledger.ClassSide
	}
	return "bar-" + string(c)
}

func barLabel(b StageBar) string {
	if b.Label != "" {
		return b.Label
	}
	return b.Stage.Label()
}

func (c StageChart) desc() string {
	if c.Desc != "" {
		return c.Desc
	}
	total, deals, decl := 0, 0, 0
	for _, b := range c.Bars {
		total += b.Count
		switch b.Stage.Info().Class {
		case ledger.ClassDeal:
			deals += b.Count
		case ledger.ClassDeclaration:
			decl += b.Count
		}
	}
	return fmt.Sprintf("%s tracked: %s at a deal stage (contracted, under way or delivered), %s still %s (proposed, announced or agreed), %d stalled or cancelled.",
		plural(total, "commitment"), strconv.Itoa(deals), strconv.Itoa(decl), declarationWord(decl), total-deals-decl)
}

func (s Scoreboard) desc() string {
	if s.Desc != "" {
		return s.Desc
	}
	d := "For each country, its tracked commitments split into deals, declarations and other (stalled or cancelled):"
	for i, r := range s.Rows {
		sep := ";"
		if i == len(s.Rows)-1 {
			sep = "."
		}
		d += fmt.Sprintf(" %s %d deals, %d declarations, %d other%s", r.Name, r.Deals, r.Declarations, r.Other, sep)
	}
	return d
}

// rowSummary is the text shown beside a scoreboard bar.
func (r ScoreRow) rowSummary() string {
	// Stalled and cancelled are left to the table: the line must fit a phone.
	return plural(r.Deals, "deal") + " · " + plural(r.Declarations, "declaration")
}

// sharePct is the share of deals among deals and declarations, rounded, and
// false when there are neither.
func sharePct(deals, declarations int) (int, bool) {
	if deals+declarations == 0 {
		return 0, false
	}
	return int(float64(deals)*100/float64(deals+declarations) + 0.5), true
}

func shareText(deals, declarations int) string {
	p, ok := sharePct(deals, declarations)
	if !ok {
		p = -1
	}
	return percentText(p)
}

// declarationWord is "a declaration" or "declarations", to follow "n still".
func declarationWord(n int) string {
	if n == 1 {
		return "a declaration"
	}
	return "declarations"
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return strconv.Itoa(n) + " " + word + "s"
}

// chartDate formats a day as "6 Nov 2025"; the zero day is empty.
func chartDate(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format("2 Jan 2006")
}

// chartY returns row i's offset plus d as an SVG length.
func chartY(i, rowHeight, d int) string { return strconv.Itoa(i*rowHeight + d) }
