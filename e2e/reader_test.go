package e2e

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestReaderJourney walks home → a country → one of its deals → the deals
// list filtered by country → a search, with JavaScript off and on, at
// 360 px and 1280 px, checking each page's heading and content and that
// nothing makes the page scroll sideways.
func TestReaderJourney(t *testing.T) {
	RequireChromium(t)
	srv := StartServer(t)
	for _, vp := range []Viewport{Phone, Desktop} {
		for _, noJS := range []bool{true, false} {
			js := "js"
			if noJS {
				js = "nojs"
			}
			t.Run(fmt.Sprintf("%dpx-%s", vp.Width, js), func(t *testing.T) {
				t.Parallel()
				ctx := NewTab(t, TabOptions{Viewport: vp, NoJS: noJS})
				readerJourney(t, ctx, srv, !noJS)
			})
		}
	}
}

func readerJourney(t *testing.T, ctx context.Context, srv *Server, js bool) {
	// Each step is a subtest on the same tab; a failed step stops the journey.
	ok := true
	step := func(name string, check func(t *testing.T)) {
		if !ok {
			return
		}
		ok = t.Run(name, func(t *testing.T) {
			defer func() {
				if t.Failed() {
					Screenshot(t, ctx, name)
				}
			}()
			check(t)
			NoHorizontalOverflow(t, ctx)
		})
	}

	step("home", func(t *testing.T) {
		Navigate(t, ctx, srv.URL+"/")
		if got := Text(t, ctx, "h1"); got == "" {
			t.Errorf("home: empty h1")
		}
		if got := Text(t, ctx, "main"); !strings.Contains(got, "Kazakhstan") {
			t.Errorf("home does not name Kazakhstan")
		}
	})

	step("country", func(t *testing.T) {
		Follow(t, ctx, `main a[href="/countries/kazakhstan"]`)
		if got := Text(t, ctx, "h1"); !strings.Contains(got, "Kazakhstan") {
			t.Errorf("country page h1 = %q, want it to name Kazakhstan", got)
		}
	})

	var dealTitle string
	step("deal", func(t *testing.T) {
		// The Wabtec locomotives deal is one of Kazakhstan's in the seed.
		sel := `main a[href^="/deals/"][href*="wabtec-kazakhstan-locomotives"]`
		dealTitle = Text(t, ctx, sel)
		Follow(t, ctx, sel)
		path := Eval[string](t, ctx, `location.pathname`)
		if !strings.HasPrefix(path, "/deals/") || !strings.HasSuffix(path, "/wabtec-kazakhstan-locomotives") {
			t.Errorf("deal page path = %q, want /deals/{id}/wabtec-kazakhstan-locomotives", path)
		}
		if got := Text(t, ctx, "h1"); !strings.Contains(strings.ToLower(got), "locomotive") {
			t.Errorf("deal page h1 = %q (link said %q), want the locomotives deal", got, dealTitle)
		}
		if got := Eval[int](t, ctx, `document.querySelectorAll('main time').length`); got == 0 {
			t.Errorf("deal page shows no dated update")
		}
	})

	step("deals list", func(t *testing.T) {
		Follow(t, ctx, `header nav a[href="/deals"]`)
		if got := Text(t, ctx, "h1"); got == "" {
			t.Errorf("deals list: empty h1")
		}
	})

	step("filter by country", func(t *testing.T) {
		// Facets are links whose query string adds the choice. With
		// JavaScript, htmx swaps the list in place: the window survives.
		Eval[bool](t, ctx, `window.journeyMarker = true`)
		Follow(t, ctx, `main a[href^="/deals?"][href*="country=kz"]`)
		if kept := Eval[bool](t, ctx, `window.journeyMarker === true`); kept != js {
			t.Errorf("filtering kept the page (no full reload) = %v, want %v with JavaScript %s", kept, js, map[bool]string{true: "on", false: "off"}[js])
		}
		if js {
			if got := Eval[string](t, ctx, `document.activeElement.id`); got != "results-heading" {
				t.Errorf("after an in-place filter, focus is on #%s, want #results-heading", got)
			}
		}
		if got := Text(t, ctx, "title"); !strings.Contains(got, "Deals") {
			t.Errorf("after filtering, the title is %q, want it to name the deals list", got)
		}
		q := query(t, ctx)
		if got := strings.ToLower(q.Get("country")); got != "kz" {
			t.Errorf("after filtering, country = %q in %v, want kz", got, q)
		}
		if got := Text(t, ctx, "main"); !strings.Contains(got, "locomotive") && !strings.Contains(got, "Locomotive") {
			t.Errorf("Kazakhstan's deals do not include the locomotives deal")
		}
		if got := Text(t, ctx, "main"); strings.Contains(got, "Trans-Caspian") {
			t.Errorf("Kazakhstan's deals include a Turkmen Trans-Caspian deal")
		}
	})

	step("search", func(t *testing.T) {
		Navigate(t, ctx, srv.URL+"/deals")
		Do(t, ctx, "type a search", chromedp.SetValue(chromedp.CSS(`main input[name="q"]`), "tungsten"))
		Follow(t, ctx, `main form [type="submit"]`)
		if got := query(t, ctx).Get("q"); got != "tungsten" {
			t.Errorf("search q = %q, want tungsten", got)
		}
		if got := Text(t, ctx, "main"); !strings.Contains(strings.ToLower(got), "tungsten") {
			t.Errorf("searching tungsten does not show the tungsten deal")
		}
	})
}

func query(t testing.TB, ctx context.Context) url.Values {
	t.Helper()
	q, err := url.ParseQuery(strings.TrimPrefix(Eval[string](t, ctx, `location.search`), "?"))
	if err != nil {
		t.Fatal(err)
	}
	return q
}
