package e2e

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// analystPages are the analyst's pages, scanned with axe at phone and
// desktop width. axe itself needs scripts, so the scan runs with them on;
// no script on these pages changes their markup, so the page without
// JavaScript is the same document (the journeys walk it both ways).
var analystPages = []string{
	"/priorities",
	"/priorities?unmet=1&country=kz",
	"/search?q=Kazakh",
	"/search?q=zzznothing",
	"/moves?since=2025-01-01&until=2026-01-31",
}

func TestAnalystAccessibility(t *testing.T) {
	RequireChromium(t)
	srv := StartServer(t)
	for _, vp := range []Viewport{Phone, Desktop} {
		for _, path := range analystPages {
			t.Run(fmt.Sprintf("%dpx%s", vp.Width, path), func(t *testing.T) {
				t.Parallel()
				tab := NewTab(t, TabOptions{Viewport: vp})
				if got := NavigateResponse(t, tab, srv.URL+path); got != http.StatusOK {
					t.Fatalf("GET %s = %d", path, got)
				}
				CheckAxe(t, tab)
				NoHorizontalOverflow(t, tab)
			})
		}
	}
}

// TestAnalystJourney: the journeys of an analyst, at phone and desktop
// width, with JavaScript off and on.
func TestAnalystJourney(t *testing.T) {
	RequireChromium(t)
	srv := StartServer(t)
	for _, vp := range []Viewport{Phone, Desktop} {
		for _, noJS := range []bool{true, false} {
			t.Run(fmt.Sprintf("%dpx-js=%t", vp.Width, !noJS), func(t *testing.T) {
				t.Parallel()
				ctx := NewTab(t, TabOptions{Viewport: vp, NoJS: noJS})
				analystJourney(t, ctx, srv, vp)
			})
		}
	}
}

func analystJourney(t *testing.T, ctx context.Context, srv *Server, vp Viewport) {
	ok := true
	step := func(name string, check func(t *testing.T)) {
		if !ok {
			return
		}
		ok = t.Run(name, func(t *testing.T) {
			check(t)
			NoHorizontalOverflow(t, ctx)
		})
	}

	step("find the priorities no deal advances and follow one to its country", func(t *testing.T) {
		Navigate(t, ctx, srv.URL+"/")
		Follow(t, ctx, `main a[href="/priorities?unmet=1"]`)
		if got := Text(t, ctx, "h1"); got != "Priorities" {
			t.Errorf("h1 = %q, want Priorities", got)
		}
		if got := Text(t, ctx, "#results-heading"); !strings.Contains(got, "nothing advances yet") {
			t.Errorf("results heading = %q", got)
		}
		if n := Eval[int](t, ctx, `document.querySelectorAll('li.priority:not(.priority-gap)').length`); n != 0 {
			t.Errorf("%d listed priorities have deals", n)
		}
		Follow(t, ctx, `#priority-kz-permanent-normal-trade-relations h3 a`)
		if got := Eval[string](t, ctx, `location.pathname + location.hash`); got != "/countries/kazakhstan#priority-permanent-normal-trade-relations" {
			t.Errorf("landed on %s", got)
		}
		if got := Text(t, ctx, "#priority-permanent-normal-trade-relations"); !strings.Contains(got, "Nothing yet") {
			t.Errorf("the country page's priority = %q", got)
		}
	})

	step("find Kazakhstan by typing Kazakh", func(t *testing.T) {
		Navigate(t, ctx, srv.URL+"/")
		Follow(t, ctx, `nav a[href="/search"]`)
		Do(t, ctx, "type Kazakh", chromedp.SendKeys(chromedp.CSS(`#search-q`), "Kazakh", chromedp.NodeVisible))
		Follow(t, ctx, `form[action="/search"] button[type="submit"]`)
		Follow(t, ctx, `#found-country a[href="/countries/kazakhstan"]`)
		if got := Text(t, ctx, "h1"); got != "Kazakhstan" {
			t.Errorf("h1 = %q, want Kazakhstan", got)
		}
	})

	step("list what moved in January 2026", func(t *testing.T) {
		Navigate(t, ctx, srv.URL+"/moves")
		Do(t, ctx, "choose January 2026",
			chromedp.SetValue(chromedp.CSS(`#moves-since`), "2026-01-01"),
			chromedp.SetValue(chromedp.CSS(`#moves-until`), "2026-01-31"))
		Follow(t, ctx, `form[action="/moves"] button[type="submit"]`)
		if got := Eval[string](t, ctx, `location.search`); got != "?since=2026-01-01&until=2026-01-31" {
			t.Errorf("query = %q", got)
		}
		if got := Text(t, ctx, "h1"); got != "What moved" {
			t.Errorf("h1 = %q", got)
		}
		if got := Text(t, ctx, "#results-heading"); !strings.HasSuffix(got, "moves") && !strings.HasSuffix(got, "move") {
			t.Errorf("results heading = %q", got)
		}
		if n := Eval[int](t, ctx, `document.querySelectorAll('a[href^="/moves.csv?since=2026-01-01"]').length`); n != 1 {
			t.Error("no CSV link keeping the window")
		}
	})

	step("narrow the priorities with the checkbox filters", func(t *testing.T) {
		Navigate(t, ctx, srv.URL+"/priorities")
		if vp == Phone {
			// On a phone the results come first and the filters are folded away.
			above := Eval[bool](t, ctx, `document.querySelector('.results').getBoundingClientRect().top < document.querySelector('.filter-panel').getBoundingClientRect().top`)
			if !above {
				t.Error("on a phone the filters come before the results")
			}
			Do(t, ctx, "open the filters", chromedp.Click(chromedp.CSS(`.filter-panel > summary`), chromedp.NodeVisible))
		}
		Do(t, ctx, "choose Kazakhstan and Minerals", chromedp.Click(chromedp.CSS(`#f-country-kz`), chromedp.NodeVisible), chromedp.Click(chromedp.CSS(`#f-sector-minerals`), chromedp.NodeVisible))
		Follow(t, ctx, `.filter-form button[type="submit"]`)
		if got := Eval[string](t, ctx, `location.search`); got != "?country=kz&sector=minerals" {
			t.Errorf("query = %q", got)
		}
		if n := Eval[int](t, ctx, `document.querySelectorAll('li.priority').length`); n != 2 {
			t.Errorf("%d priorities listed, want Kazakhstan's two in minerals", n)
		}
	})
}
