package server_test

import (
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"summitledger/internal/ledger"
	"summitledger/web"
)

// stageCounts reads a stage chart's list of numbers under the section headed by id.
func stageCounts(t *testing.T, doc *goquery.Document, headingID string) map[string]int {
	t.Helper()
	out := map[string]int{}
	doc.Find("#" + headingID).Closest("section").Find("ul.chart-values li").Each(func(_ int, li *goquery.Selection) {
		n, err := strconv.Atoi(textOf(li.Find("strong")))
		if err != nil {
			t.Fatalf("stage count %q: %v", textOf(li), err)
		}
		out[strings.TrimSpace(strings.TrimSuffix(textOf(li), textOf(li.Find("strong"))))] = n
	})
	if len(out) != 8 {
		t.Fatalf("stage chart under #%s lists %d stages, want 8", headingID, len(out))
	}
	return out
}

func TestAsOfWalk(t *testing.T) {
	ts, db := newServer(t)
	d := addDeal(t, db, "Caspian ferry terminal", []string{"KZ", "US"},
		ledger.StageAnnounced, "2026-02-02", ledger.StageAgreed, "2026-03-03", ledger.StageContracted, "2026-04-04")
	dealPath := web.DealHref(d.ID, d.Slug)

	t.Run("before its first update the deal is not there", func(t *testing.T) {
		if p := fetch(t, ts.URL+dealPath+"?as_of=2026-02-01"); p.status != http.StatusNotFound {
			t.Errorf("deal page as of 2026-02-01 = %d, want 404", p.status)
		}
		p := fetch(t, ts.URL+"/?as_of=2026-02-01")
		if got := stageCounts(t, p.doc, "stages-heading")["Announced"]; got != 1 {
			t.Errorf("dashboard as of 2026-02-01: announced = %d, want the seeded 1", got)
		}
		if strings.Contains(fetch(t, ts.URL+"/countries/kazakhstan?as_of=2026-02-01").body, "Caspian ferry terminal") {
			t.Errorf("country page as of 2026-02-01 lists a deal not yet announced")
		}
	})
	seeded := map[string]int{"Proposed": 3, "Announced": 1, "Agreed": 0, "Contracted": 2}
	for _, step := range []struct {
		day, stage, banner string
		updates            int
	}{
		{"2026-02-02", "Announced", "As of 2 February 2026.", 1},
		{"2026-03-15", "Agreed", "As of 15 March 2026.", 2},
		{"2026-04-04", "Contracted", "As of 4 April 2026.", 3},
	} {
		t.Run("as of "+step.day+" it is "+step.stage, func(t *testing.T) {
			p := fetch(t, ts.URL+dealPath+"?as_of="+step.day)
			if p.status != http.StatusOK {
				t.Fatalf("deal page = %d, want 200", p.status)
			}
			if got := textOf(p.doc.Find(".deal-status .badge")); got != step.stage {
				t.Errorf("deal page stage = %q, want %q", got, step.stage)
			}
			if got := p.doc.Find("ol.timeline > li").Length(); got != step.updates {
				t.Errorf("deal page shows %d updates, want %d", got, step.updates)
			}
			if !strings.Contains(textOf(p.doc.Find(".as-of-banner")), step.banner) {
				t.Errorf("deal page banner = %q, want %q", textOf(p.doc.Find(".as-of-banner")), step.banner)
			}

			c := fetch(t, ts.URL+"/countries/kazakhstan?as_of="+step.day)
			row := c.doc.Find(".deal-table tr").FilterFunction(func(_ int, s *goquery.Selection) bool {
				return strings.Contains(textOf(s.Find("th")), "Caspian ferry terminal")
			})
			if got := textOf(row.Find(".badge")); got != step.stage {
				t.Errorf("country page lists the deal at %q, want %q", got, step.stage)
			}
			if c.doc.Find(".as-of-banner").Length() != 1 {
				t.Errorf("country page has no as-of banner")
			}
			if href := row.Find("th a").AttrOr("href", ""); href != dealPath+"?as_of="+step.day {
				t.Errorf("country page links the deal to %q, want the same day's view", href)
			}

			h := fetch(t, ts.URL+"/?as_of="+step.day)
			counts := stageCounts(t, h.doc, "stages-heading")
			for stage, n := range seeded {
				want := n
				if stage == step.stage {
					want++
				}
				if counts[stage] != want {
					t.Errorf("dashboard: %s = %d, want %d", stage, counts[stage], want)
				}
			}
			if h.doc.Find(".as-of-banner").Length() != 1 {
				t.Errorf("dashboard has no as-of banner")
			}
		})
	}
	t.Run("today has no banner and the latest stage", func(t *testing.T) {
		p := fetch(t, ts.URL+dealPath)
		if p.doc.Find(".as-of-banner").Length() != 0 || textOf(p.doc.Find(".deal-status .badge")) != "Contracted" {
			t.Errorf("today: banner %d, stage %q; want none and Contracted", p.doc.Find(".as-of-banner").Length(), textOf(p.doc.Find(".deal-status .badge")))
		}
	})
}
