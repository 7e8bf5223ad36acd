package e2e

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	cdplog "github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"summitledger/internal/postgres"
	"summitledger/internal/postgres/pgtest"
	"summitledger/internal/server"
)

// ChromiumPath is the browser the tests drive: Debian's chromium package.
const ChromiumPath = "/usr/bin/chromium"

// Viewport is a window size in CSS pixels.
type Viewport struct{ Width, Height int64 }

// The two widths every journey runs at.
var (
	Phone   = Viewport{360, 800}
	Desktop = Viewport{1280, 900}
)

// Server is the application under test, over its own seeded database.
type Server struct {
	URL string // e.g. "http://127.0.0.1:41234", no trailing slash
	DB  *postgres.DB
	App *server.Server
}

// StartServer starts the real server (server.New + Routes) on a local
// listener over a fresh database holding the C5+1 dataset; both go away
// when t ends.
func StartServer(t testing.TB) *Server {
	t.Helper()
	db := pgtest.NewSeeded(t)
	app := server.New(db, slog.New(slog.NewTextHandler(io.Discard, nil)))
	ts := httptest.NewServer(app.Routes())
	t.Cleanup(ts.Close)
	return &Server{URL: ts.URL, DB: db, App: app}
}

// shared is the one browser process that every test's tabs live in:
// starting Chromium costs far more than opening a tab.
var shared struct {
	sync.Mutex
	ctx    context.Context
	cancel func()
}

// TestMain closes the shared browser after the last test.
func TestMain(m *testing.M) {
	code := m.Run()
	shared.Lock()
	if shared.cancel != nil {
		shared.cancel()
	}
	shared.Unlock()
	os.Exit(code)
}

// RequireChromium skips t when Chromium is not installed, except under
// CI=true, where the browser tests must run and its absence fails t.
func RequireChromium(t testing.TB) {
	t.Helper()
	if _, err := os.Stat(ChromiumPath); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("browser tests must run under CI, but %s is missing: %v", ChromiumPath, err)
		}
		t.Skipf("browser tests skipped: %s is not installed (apt-get install chromium)", ChromiumPath)
	}
}

// browser returns the shared browser's context, starting Chromium once.
func browser(t testing.TB) context.Context {
	t.Helper()
	RequireChromium(t)
	shared.Lock()
	defer shared.Unlock()
	if shared.ctx != nil {
		return shared.ctx
	}
	// The profile outlives any one test, so it is not a t.TempDir; TestMain removes it.
	dir, err := os.MkdirTemp("", "summitledger-chromium-")
	if err != nil {
		t.Fatal(err)
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(ChromiumPath),
		chromedp.Headless,
		chromedp.NoSandbox, // the tests run as root
		chromedp.DisableGPU,
		chromedp.UserDataDir(dir),
		chromedp.WindowSize(int(Desktop.Width), int(Desktop.Height)),
		chromedp.NoFirstRun,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-quic", true),
	)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelCtx := chromedp.NewContext(allocCtx)
	cancel := func() {
		cancelCtx()
		cancelAlloc()
		os.RemoveAll(dir)
	}
	if err := chromedp.Do(ctx); err != nil { // starts the browser
		cancel()
		t.Fatalf("start %s: %v", ChromiumPath, err)
	}
	shared.ctx, shared.cancel = ctx, cancel
	return ctx
}

// TabOptions say how a tab is set up.
type TabOptions struct {
	Viewport Viewport // Desktop when zero
	NoJS     bool     // turn JavaScript off, as a reader with it disabled
	Dark     bool     // prefers-color-scheme: dark
	// AllowConsoleErrors lets the page log errors; by default a script
	// error or a Content-Security-Policy violation fails the test.
	AllowConsoleErrors bool
}

// NewTab opens a tab in its own browser context (its own cookies, so two
// tabs can be two people) with the options applied, closed when t ends.
// Unless o.AllowConsoleErrors, any script error or Content-Security-Policy
// violation in the tab fails t (failed loads, such as a 404 page, do not).
// When t fails, a full-page screenshot of the tab is saved first.
func NewTab(t *testing.T, o TabOptions) context.Context {
	t.Helper()
	parent := browser(t)
	ctx, cancel := chromedp.NewContext(parent, chromedp.WithNewBrowserContext())
	var mu sync.Mutex
	var problems []string
	t.Cleanup(func() {
		mu.Lock()
		if !o.AllowConsoleErrors && len(problems) > 0 {
			t.Errorf("the browser reported errors:\n  %s", strings.Join(problems, "\n  "))
		}
		mu.Unlock()
		if t.Failed() {
			Screenshot(t, ctx, "failure")
		}
		cancel()
	})
	if err := chromedp.Listen(ctx, func(ev any) {
		var p string
		switch e := ev.(type) {
		case *cdplog.EventEntryAdded:
			if e.Entry.Level == cdplog.EntryLevelError && e.Entry.Source != cdplog.EntrySourceNetwork {
				p = string(e.Entry.Source) + ": " + e.Entry.Text
			}
		case *runtime.EventExceptionThrown:
			p = "exception: " + e.ExceptionDetails.Text
			if e.ExceptionDetails.Exception != nil && e.ExceptionDetails.Exception.Description != "" {
				p += " " + e.ExceptionDetails.Exception.Description
			}
		}
		if p != "" {
			mu.Lock()
			problems = append(problems, p)
			mu.Unlock()
		}
	}); err != nil {
		t.Fatalf("listen to the tab: %v", err)
	}
	if o.Viewport == (Viewport{}) {
		o.Viewport = Desktop
	}
	steps := []chromedp.Action[chromedp.Void]{
		chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
			_, err := cdp.Call(ctx, tg, cdplog.Enable, cdp.Empty{})
			return err
		}),
		chromedp.EmulateViewport(o.Viewport.Width, o.Viewport.Height),
	}
	if o.NoJS {
		steps = append(steps, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
			_, err := cdp.Call(ctx, tg, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true})
			return err
		}))
	}
	if o.Dark {
		steps = append(steps, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
			_, err := cdp.Call(ctx, tg, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
				Features: []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: "dark"}}})
			return err
		}))
	}
	if err := chromedp.Do(ctx, steps...); err != nil {
		t.Fatalf("set up tab: %v", err)
	}
	return ctx
}

// Do runs browser steps with a time limit, failing t on error.
func Do(t testing.TB, ctx context.Context, what string, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	tctx, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	if err := chromedp.Do(tctx, steps...); err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

// Eval evaluates a JavaScript expression in the page and decodes its value.
// It works with JavaScript turned off for the page: DevTools still evaluates.
func Eval[T any](t testing.TB, ctx context.Context, expr string) T {
	t.Helper()
	tctx, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	v, err := chromedp.Run(tctx, chromedp.Evaluate[T](expr))
	if err != nil {
		t.Fatalf("evaluate %s: %v", expr, err)
	}
	return v
}

// Text returns the text of the first element matching a CSS selector,
// failing t when there is none.
func Text(t testing.TB, ctx context.Context, css string) string {
	t.Helper()
	s := Eval[*string](t, ctx, fmt.Sprintf(`(e => e ? e.textContent : null)(document.querySelector(%q))`, css))
	if s == nil {
		t.Fatalf("no element matches %s on %s", css, Eval[string](t, ctx, `location.href`))
		return ""
	}
	return strings.Join(strings.Fields(*s), " ")
}

// Navigate loads url in the tab and waits for it.
func Navigate(t testing.TB, ctx context.Context, url string) {
	t.Helper()
	Do(t, ctx, "navigate to "+url, chromedp.Navigate(url))
}

// NavigateResponse loads url in the tab and returns the HTTP status of the page.
func NavigateResponse(t testing.TB, ctx context.Context, url string) int {
	t.Helper()
	tctx, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	resp, err := chromedp.Run(tctx, chromedp.NavigateResponse(url))
	if err != nil {
		t.Fatalf("navigate to %s: %v", url, err)
	}
	return int(resp.Status)
}

// Follow clicks the first element matching a CSS selector, which must lead
// to another URL, and waits until the new page has loaded or, with htmx, the
// new content has been swapped in.
func Follow(t testing.TB, ctx context.Context, css string) {
	t.Helper()
	before := Eval[string](t, ctx, `location.href`)
	Do(t, ctx, "click "+css, chromedp.Click(chromedp.CSS(css), chromedp.NodeVisible))
	WaitSettled(t, ctx, before)
}

// WaitSettled waits until the tab's URL is no longer before and the page is
// idle: loaded, and with no htmx request, swap or settle under way.
func WaitSettled(t testing.TB, ctx context.Context, before string) {
	t.Helper()
	type state struct {
		Href, Ready string
		Busy        bool
	}
	var last state
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		// Errors are expected while a navigation replaces the document: retry.
		tctx, cancel := context.WithTimeout(ctx, 2*time.Second)
		s, err := chromedp.Run(tctx, chromedp.Evaluate[state](`({href: location.href, ready: document.readyState,
			busy: !!document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling')})`))
		cancel()
		if err == nil {
			last = s
			if s.Href != before && s.Ready == "complete" && !s.Busy {
				return
			}
		}
	}
	t.Fatalf("after leaving %s, the page did not settle: last seen %+v", before, last)
}

// NoHorizontalOverflow fails t when the page is wider than the window, as
// at 360 px a too-wide table or chart would make readers scroll sideways.
func NoHorizontalOverflow(t testing.TB, ctx context.Context) {
	t.Helper()
	r := Eval[struct{ Scroll, Inner int }](t, ctx, `({Scroll: document.documentElement.scrollWidth, Inner: window.innerWidth})`)
	if r.Scroll > r.Inner {
		wide := Eval[[]string](t, ctx, `[...document.querySelectorAll('body *')]
			.filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)
			.slice(0, 5).map(e => e.tagName.toLowerCase() + (e.className && typeof e.className === 'string' ? '.' + e.className.split(' ').join('.') : ''))`)
		t.Errorf("%s is %d px wide in a %d px window; too wide: %v", Eval[string](t, ctx, `location.pathname + location.search`), r.Scroll, r.Inner, wide)
	}
}

var unsafeName = regexp.MustCompile(`[^A-Za-z0-9._-]+`)

// Screenshot saves a full-page PNG of the tab and logs where: under
// -artifacts in t's artifact directory, else in a temporary directory
// that is kept, so a failure can be looked at afterwards.
func Screenshot(t testing.TB, ctx context.Context, name string) string {
	t.Helper()
	tctx, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	png, err := chromedp.Run(tctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Logf("screenshot %s: %v", name, err)
		return ""
	}
	var dir string
	if f := flag.Lookup("test.artifacts"); f != nil && f.Value.String() == "true" {
		dir = t.ArtifactDir()
	} else if dir, err = os.MkdirTemp("", "summitledger-e2e-"); err != nil {
		t.Logf("screenshot %s: %v", name, err)
		return ""
	}
	path := filepath.Join(dir, unsafeName.ReplaceAllString(t.Name()+"-"+name, "_")+".png")
	if err := os.WriteFile(path, png, 0o644); err != nil {
		t.Logf("screenshot %s: %v", name, err)
		return ""
	}
	t.Logf("screenshot: %s", path)
	return path
}
