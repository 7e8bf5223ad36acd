package e2e

import (
	"context"
	"testing"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
)

// TestPrintIgnoresDarkMode prints (emulates print media) with the reader's
// system in dark mode: the page must still print dark text on white, not
// the dark theme's light text and dark panels.
func TestPrintIgnoresDarkMode(t *testing.T) {
	RequireChromium(t)
	srv := StartServer(t)
	ctx := NewTab(t, TabOptions{})
	Do(t, ctx, "emulate print in dark mode", chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: "print",
			Features: []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: "dark"}}})
		return err
	}))
	Navigate(t, ctx, srv.URL+"/")
	got := Eval[map[string]string](t, ctx, `(() => {
		const css = getComputedStyle(document.documentElement);
		return {bg: css.getPropertyValue('--bg').trim(), fg: css.getPropertyValue('--fg').trim(),
			surface: css.getPropertyValue('--surface').trim(), muted: css.getPropertyValue('--muted').trim()};
	})()`)
	for name, light := range map[string]string{"bg": "#ffffff", "fg": "#1b1f24", "surface": "#f6f8fa", "muted": "#57606a"} {
		if got[name] != light {
			t.Errorf("printing in dark mode: --%s = %q, want the light theme's %s", name, got[name], light)
		}
	}
}

// TestNarrowLayout looks at the reader pages on a 360 px phone: tables fit
// the screen instead of hiding columns behind a sideways scroll, and the
// content does not touch the site header.
func TestNarrowLayout(t *testing.T) {
	RequireChromium(t)
	srv := StartServer(t)
	ctx := NewTab(t, TabOptions{Viewport: Phone})
	for _, path := range []string{"/", "/countries/kazakhstan", "/organizations", "/summits", "/summits/c5plus1-washington-2025", "/sources/1", "/methodology"} {
		t.Run(path, func(t *testing.T) {
			Navigate(t, ctx, srv.URL+path)
			wide := Eval[[]string](t, ctx, `[...document.querySelectorAll('main table')]
				.filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)
				.map(e => e.className + ' ' + Math.round(e.getBoundingClientRect().width) + 'px')`)
			if len(wide) > 0 {
				t.Errorf("%s at %d px: tables wider than the screen: %v", path, Phone.Width, wide)
			}
			gap := Eval[float64](t, ctx, `document.querySelector('main > *').getBoundingClientRect().top - document.querySelector('.site-header').getBoundingClientRect().bottom`)
			if gap < 12 {
				t.Errorf("%s: content starts %.0f px below the header, want some room (12 px or more)", path, gap)
			}
		})
	}
}
