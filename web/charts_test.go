package web

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/a-h/templ"

	"summitledger/internal/ledger"
)

func render(t *testing.T, c templ.Component) string {
	t.Helper()
	var b bytes.Buffer
	if err := c.Render(context.Background(), &b); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

func TestCharts(t *testing.T) {
	counts := map[ledger.Stage]int{ledger.StageAnnounced: 4, ledger.StageContracted: 2}
	pages := map[string]string{
		"stage bars": render(t, StageBars(StageChart{ID: "s", Title: "By stage", Bars: StageBarsFrom(counts)})),
		"scoreboard": render(t, ScoreboardChart(Scoreboard{ID: "b", Title: "By country", Rows: []ScoreRow{{Name: "Kazakhstan", Href: "/countries/kazakhstan", Deals: 2, Declarations: 4}}})),
		"map": render(t, Map(MapView{ID: "m", Title: "Map", Countries: []MapCountry{
			{Code: "KZ", Slug: "kazakhstan", Name: "Kazakhstan", Deals: 2, Declarations: 4}}})),
	}
	for name, html := range pages {
		t.Run(name+" is named and described for screen readers", func(t *testing.T) {
			for _, want := range []string{"<title id=", "<desc id=", "aria-labelledby="} {
				if !strings.Contains(html, want) {
					t.Errorf("output lacks %q", want)
				}
			}
		})
		t.Run(name+" sets no style attribute", func(t *testing.T) {
			if strings.Contains(html, "style=") {
				t.Errorf("output has a style= attribute")
			}
		})
	}
	t.Run("stage bars list every stage with its count", func(t *testing.T) {
		for _, want := range []string{"Announced <strong>4</strong>", "Contracted <strong>2</strong>", "Delivered <strong>0</strong>"} {
			if !strings.Contains(pages["stage bars"], want) {
				t.Errorf("stage list lacks %q", want)
			}
		}
	})
	t.Run("the map links each country and states its share", func(t *testing.T) {
		for _, want := range []string{`href="/countries/kazakhstan"`, `aria-label="Kazakhstan: 33% deals (2 deals, 4 declarations)"`, "map-q2"} {
			if !strings.Contains(pages["map"], want) {
				t.Errorf("map lacks %q", want)
			}
		}
	})
}

func TestMapData(t *testing.T) {
	codes := map[string]bool{}
	for _, s := range mapShapes {
		if s.Code != "" {
			codes[s.Code] = true
		}
	}
	for _, c := range []string{"KZ", "KG", "TJ", "TM", "UZ"} {
		if !codes[c] {
			t.Errorf("no outline for %s", c)
		}
	}
}

func TestMapClass(t *testing.T) {
	for _, tc := range []struct {
		deals, decl int
		want        string
	}{{0, 0, "map-none"}, {0, 3, "map-q1"}, {1, 3, "map-q2"}, {1, 1, "map-q3"}, {3, 1, "map-q4"}, {2, 0, "map-q4"}} {
		if got := mapClass(MapCountry{Deals: tc.deals, Declarations: tc.decl}); got != tc.want {
			t.Errorf("mapClass(%d deals, %d declarations) = %s, want %s", tc.deals, tc.decl, got, tc.want)
		}
	}
}

func TestTrackFrom(t *testing.T) {
	d := func(s string) time.Time { v, _ := time.Parse(time.DateOnly, s); return v }
	updates := []ledger.StatusUpdate{
		{ID: 3, Stage: ledger.StageContracted, OccurredOn: d("2026-02-01")},
		{ID: 1, Stage: ledger.StageAnnounced, OccurredOn: d("2025-11-06")},
		{ID: 2, Stage: ledger.StageAnnounced, OccurredOn: d("2025-12-01")},
		{ID: 4, Stage: ledger.StageDelivered, OccurredOn: d("2026-03-01")},
		{ID: 5, Stage: ledger.StageUnderWay, OccurredOn: d("2026-03-01"), CorrectsID: 4, CorrectionReason: "misread"},
	}
	var got []string
	for _, s := range TrackFrom(updates) {
		got = append(got, string(s.Stage)+"@"+s.On.Format(time.DateOnly)+s.Href)
	}
	want := "announced@2025-11-06#update-1 contracted@2026-02-01#update-3 under_way@2026-03-01#update-5"
	if strings.Join(got, " ") != want {
		t.Errorf("TrackFrom = %q, want %q", strings.Join(got, " "), want)
	}
}
