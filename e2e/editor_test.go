package e2e

import (
	"context"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"summitledger/internal/auth"
	"summitledger/internal/ledger"
)

// editorAccount creates a user of role with a known password and returns its email.
func editorAccount(t *testing.T, srv *Server, name string, role ledger.Role) (email, password string) {
	t.Helper()
	email, password = strings.ToLower(strings.Fields(name)[0])+"@example.org", "a long enough password"
	hash, err := auth.HashPassword(password)
	if err != nil {
		t.Fatal(err)
	}
	u := &ledger.User{Email: email, Name: name, Role: role}
	if err := srv.DB.CreateUser(context.Background(), ledger.Actor{Name: "test"}, u, hash); err != nil {
		t.Fatalf("create %s: %v", name, err)
	}
	return email, password
}

// signInTab signs the tab in through the sign-in form and lands on next.
func signInTab(t *testing.T, ctx context.Context, srv *Server, email, password, next string) {
	t.Helper()
	Navigate(t, ctx, srv.URL+"/login?next="+url.QueryEscape(next))
	Do(t, ctx, "type credentials", chromedp.SetValue(chromedp.CSS("#email"), email), chromedp.SetValue(chromedp.CSS("#password"), password))
	Follow(t, ctx, `main form button[type="submit"]`)
	if got := Eval[string](t, ctx, `location.pathname`); got != next {
		t.Fatalf("after signing in: at %s, want %s", got, next)
	}
}

// submit clicks the form's submit button and returns the status of the page it loads.
func submit(t *testing.T, ctx context.Context, form string) int {
	t.Helper()
	tctx, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	resp, err := chromedp.RunResponse(tctx, chromedp.Click(chromedp.CSS(form+` button[type="submit"]`), chromedp.NodeVisible))
	if err != nil {
		t.Fatalf("submit %s: %v", form, err)
	}
	return int(resp.Status)
}

// value reads a form control's current value in the page.
func value(t *testing.T, ctx context.Context, css string) string {
	t.Helper()
	return Eval[string](t, ctx, fmt.Sprintf(`document.querySelector(%q).value`, css))
}

func isChecked(t *testing.T, ctx context.Context, css string) bool {
	t.Helper()
	return Eval[bool](t, ctx, fmt.Sprintf(`document.querySelector(%q).checked`, css))
}

func wabtec(t *testing.T, srv *Server) (int64, string) {
	t.Helper()
	var id int64
	if err := srv.DB.Pool.QueryRow(context.Background(), `SELECT id FROM deals WHERE slug = 'wabtec-kazakhstan-locomotives'`).Scan(&id); err != nil {
		t.Fatal(err)
	}
	return id, fmt.Sprintf("/deals/%d/wabtec-kazakhstan-locomotives", id)
}

// TestEditorJourney signs in, logs a status update from the deal page and
// finds it on the deal, its country's page and the dashboard, at both
// widths, with JavaScript off as forms must work without it.
func TestEditorJourney(t *testing.T) {
	RequireChromium(t)
	srv := StartServer(t)
	email, password := editorAccount(t, srv, "Edna Editor", ledger.RoleEditor)
	id, dealPath := wabtec(t, srv)
	for i, vp := range []Viewport{Phone, Desktop} {
		t.Run(fmt.Sprintf("%dpx", vp.Width), func(t *testing.T) {
			ctx := NewTab(t, TabOptions{Viewport: vp, NoJS: true})
			signInTab(t, ctx, srv, email, password, dealPath)
			note := fmt.Sprintf("Journey %d: the first locomotives reached Astana.", i)
			Follow(t, ctx, fmt.Sprintf(`a[href="/deals/%d/updates/new"]`, id))
			NoHorizontalOverflow(t, ctx)
			Do(t, ctx, "fill the update form",
				chromedp.SetValue(chromedp.CSS("#stage"), "under_way"),
				chromedp.SetValue(chromedp.CSS("#occurred_on"), time.Now().UTC().Format(time.DateOnly)),
				chromedp.SetValue(chromedp.CSS("#note"), note),
				chromedp.SetValue(chromedp.CSS("#source_url-0"), "https://example.org/astana"),
				chromedp.SetValue(chromedp.CSS("#source_title-0"), "Locomotives arrive"),
				chromedp.SetValue(chromedp.CSS("#source_publisher-0"), "Example News"))
			if status := submit(t, ctx, "form.edit-form"); status != 200 {
				t.Fatalf("after logging: status %d, want 200 on the deal page", status)
			}
			if got := Eval[string](t, ctx, `location.pathname`); got != dealPath {
				t.Errorf("after logging: at %s, want %s", got, dealPath)
			}
			if got := Text(t, ctx, ".flash"); !strings.Contains(got, "Status update logged") {
				t.Errorf("flash = %q", got)
			}
			if got := Text(t, ctx, ".timeline-item"); !strings.Contains(got, note) {
				t.Errorf("first timeline item = %q, want the new update", got)
			}
			for _, page := range []string{"/countries/kazakhstan", "/"} {
				Navigate(t, ctx, srv.URL+page)
				if got := Text(t, ctx, "main"); !strings.Contains(got, note) {
					t.Errorf("%s does not show the new update", page)
				}
			}
		})
	}
}

// TestEditorSessionEnded loses the session (its cookie cleared) while the
// update form is being typed: sending it answers 401 with the sign-in form,
// and signing in there and pressing "Save my changes" logs the update as
// typed. Once with JavaScript off, as the pages must not need it, and once
// with it on, to scan both pages with axe-core.
func TestEditorSessionEnded(t *testing.T) {
	RequireChromium(t)
	srv := StartServer(t)
	email, password := editorAccount(t, srv, "Edna Editor", ledger.RoleEditor)
	id, dealPath := wabtec(t, srv)
	for _, noJS := range []bool{true, false} {
		t.Run(fmt.Sprintf("noJS=%t", noJS), func(t *testing.T) {
			ctx := NewTab(t, TabOptions{NoJS: noJS})
			signInTab(t, ctx, srv, email, password, fmt.Sprintf("/deals/%d/updates/new", id))
			note := fmt.Sprintf("Typed while the session ran out, and kept (noJS=%t).", noJS)
			Do(t, ctx, "fill the update form, then lose the session",
				chromedp.SetValue(chromedp.CSS("#stage"), "under_way"),
				chromedp.SetValue(chromedp.CSS("#occurred_on"), time.Now().UTC().Format(time.DateOnly)),
				chromedp.SetValue(chromedp.CSS("#note"), note),
				chromedp.SetValue(chromedp.CSS("#source_url-0"), "https://example.org/astana"),
				chromedp.SetValue(chromedp.CSS("#source_title-0"), "Locomotives arrive"),
				chromedp.SetValue(chromedp.CSS("#source_publisher-0"), "Example News"),
				chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
					_, err := cdp.Call(ctx, tg, network.ClearBrowserCookies, cdp.Empty{})
					return err
				}))
			if status := submit(t, ctx, "form.edit-form"); status != 401 {
				t.Fatalf("sending the form signed out: status %d, want 401", status)
			}
			if got := Text(t, ctx, ".kept-notice"); !strings.Contains(got, "what you typed is kept") {
				t.Errorf("notice = %q", got)
			}
			if !noJS {
				CheckAxe(t, ctx)
			}
			Do(t, ctx, "type credentials", chromedp.SetValue(chromedp.CSS("#email"), email), chromedp.SetValue(chromedp.CSS("#password"), password))
			if status := submit(t, ctx, `form[action="/login"]`); status != 200 {
				t.Fatalf("signing in: status %d, want 200", status)
			}
			if got := Text(t, ctx, "h1"); got != "Signed in — your changes have not been saved yet" {
				t.Errorf("heading = %q", got)
			}
			if !noJS {
				CheckAxe(t, ctx)
			}
			if status := submit(t, ctx, "form.resubmit-form"); status != 200 {
				t.Fatalf("after Save my changes: status %d, want 200 on the deal page", status)
			}
			if got := Eval[string](t, ctx, `location.pathname`); got != dealPath {
				t.Errorf("after saving: at %s, want %s", got, dealPath)
			}
			if got := Text(t, ctx, ".timeline-item"); !strings.Contains(got, note) {
				t.Errorf("first timeline item = %q, want the kept update", got)
			}
		})
	}
}

// TestEditorInvalidSubmission sends an edit with the title cleared: the
// 422 page keeps everything typed, boxes ticked included.
func TestEditorInvalidSubmission(t *testing.T) {
	RequireChromium(t)
	srv := StartServer(t)
	email, password := editorAccount(t, srv, "Edna Editor", ledger.RoleEditor)
	id, _ := wabtec(t, srv)
	edit := fmt.Sprintf("/deals/%d/edit", id)
	ctx := NewTab(t, TabOptions{})
	signInTab(t, ctx, srv, email, password, edit)
	summary := "A summary typed with care, which must not be lost."
	Do(t, ctx, "type an invalid edit",
		chromedp.Clear(chromedp.CSS("#title")),
		chromedp.SetValue(chromedp.CSS("#summary"), summary),
		chromedp.SetValue(chromedp.CSS("#value_note"), "Typed note"),
		chromedp.Click(chromedp.CSS("#party-UZ")),
		chromedp.SetValue(chromedp.CSS("#new_org_name"), "Kazakhstan Temir Zholy"),
		chromedp.SetValue(chromedp.CSS("#new_org_kind"), "company"))
	if status := submit(t, ctx, "form.edit-form"); status != 422 {
		t.Fatalf("status = %d, want 422", status)
	}
	if got := Text(t, ctx, ".error-summary h2"); got != "There is a problem" {
		t.Errorf("error summary title = %q", got)
	}
	// autofocus is applied after the page loads, so wait for it a moment.
	pctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	_, err := chromedp.Run(pctx, chromedp.Poll[bool](`document.activeElement && document.activeElement.className === 'error-summary'`,
		chromedp.WithPollingTimeout(4*time.Second)))
	cancel()
	if err != nil {
		t.Errorf("focus on load is on %q, want the error summary", Eval[string](t, ctx, `document.activeElement.className`))
	}
	links := Eval[[]string](t, ctx, `[...document.querySelectorAll('.error-summary a')].map(a => a.getAttribute('href'))`)
	if strings.Join(links, " ") != "#title #new_org_role" {
		t.Errorf("error links = %v, want #title and #new_org_role", links)
	}
	for css, want := range map[string]string{"#title": "", "#summary": summary, "#value_note": "Typed note",
		"#new_org_name": "Kazakhstan Temir Zholy", "#new_org_kind": "company", "#value_currency": "USD"} {
		if got := value(t, ctx, css); got != want {
			t.Errorf("%s = %q, want %q", css, got, want)
		}
	}
	for css, want := range map[string]bool{"#party-UZ": true, "#party-KZ": true, "#party-TJ": false, "#counts_toward_total": true} {
		if got := isChecked(t, ctx, css); got != want {
			t.Errorf("%s checked = %v, want %v", css, got, want)
		}
	}
	CheckAxe(t, ctx)
}

// TestEditorConflict has two people edit the same deal in two browser
// contexts. The second to save gets the conflict page: the title both
// changed is shown side by side, the saved value chosen; the first
// editor's value change is merged in and the second's summary kept. The
// second editor picks their own title and saves, and every other change
// of both editors survives.
func TestEditorConflict(t *testing.T) {
	RequireChromium(t)
	srv := StartServer(t)
	edEmail, edPass := editorAccount(t, srv, "Edna Editor", ledger.RoleEditor)
	adEmail, adPass := editorAccount(t, srv, "Ada Admin", ledger.RoleAdmin)
	id, dealPath := wabtec(t, srv)
	edit := fmt.Sprintf("/deals/%d/edit", id)
	first, second := NewTab(t, TabOptions{}), NewTab(t, TabOptions{Viewport: Phone})
	signInTab(t, first, srv, adEmail, adPass, edit)
	signInTab(t, second, srv, edEmail, edPass, edit)

	Do(t, first, "rename and revalue, citing a source for the value",
		chromedp.SetValue(chromedp.CSS("#title"), "Renamed by the first editor"),
		chromedp.SetValue(chromedp.CSS("#value_amount"), "5000000000"),
		chromedp.SetValue(chromedp.CSS("#source_url-0"), "https://example.org/revalued"),
		chromedp.SetValue(chromedp.CSS("#source_title-0"), "The order revalued"),
		chromedp.SetValue(chromedp.CSS("#source_publisher-0"), "Example News"))
	if status := submit(t, first, "form.edit-form"); status != 200 {
		t.Fatalf("first save: status %d, want 200 on the deal page", status)
	}
	mine := "The second editor's own summary, typed before the first one saved."
	Do(t, second, "edit the stale form",
		chromedp.SetValue(chromedp.CSS("#summary"), mine),
		chromedp.SetValue(chromedp.CSS("#title"), "Second editor's title"),
		chromedp.Click(chromedp.CSS("#party-UZ")),
		chromedp.SetValue(chromedp.CSS("#source_url-0"), "https://example.org/uzbekistan-joins"),
		chromedp.SetValue(chromedp.CSS("#source_title-0"), "Uzbekistan joins the order"),
		chromedp.SetValue(chromedp.CSS("#source_publisher-0"), "Example Wire"))
	if status := submit(t, second, "form.edit-form"); status != 409 {
		t.Fatalf("second save: status %d, want 409", status)
	}
	choices := Eval[[]string](t, second, `[...document.querySelectorAll('form.edit-form fieldset.choice legend')].map(l => l.textContent.trim())`)
	if strings.Join(choices, ",") != "Title" {
		t.Errorf("fields to choose = %v, want the title alone", choices)
	}
	if got := Text(t, second, "#choice-Title .choice-option:first-child .choice-value"); got != "Renamed by the first editor" {
		t.Errorf("saved value = %q, want the first editor's title", got)
	}
	if got := Text(t, second, "#choice-Title .choice-option:last-child .choice-value"); got != "Second editor's title" {
		t.Errorf("your value = %q, want the second editor's title", got)
	}
	if !isChecked(t, second, "#choice-Title-saved") || isChecked(t, second, "#choice-Title-yours") {
		t.Error("the saved title is not the one chosen before the editor chooses")
	}
	for css, want := range map[string]string{"#summary": mine, "#value_amount": "5000000000", "#title": "Renamed by the first editor"} {
		if got := value(t, second, css); got != want {
			t.Errorf("%s = %q, want the merge's %q", css, got, want)
		}
	}
	if !isChecked(t, second, "#party-UZ") {
		t.Error("the second editor's new party is not in the merged form")
	}
	NoHorizontalOverflow(t, second)
	CheckAxe(t, second)

	Do(t, second, "choose my title", chromedp.Click(chromedp.CSS(`label[for="choice-Title-yours"]`), chromedp.NodeVisible))
	if status := submit(t, second, "form.edit-form"); status != 200 {
		t.Fatalf("save after choosing: status %d, want 200", status)
	}
	if got := Eval[string](t, second, `location.pathname`); got != dealPath {
		t.Errorf("after saving: at %s, want %s", got, dealPath)
	}
	if got := Text(t, second, "h1"); got != "Second editor's title" {
		t.Errorf("deal heading = %q, want the second editor's chosen title", got)
	}
	d, err := srv.DB.DealByID(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	if d.Value == nil || d.Value.Cents != 500000000000 || d.Summary != mine || !slices.Contains(d.Parties, "UZ") {
		t.Errorf("saved value %+v, summary %q, parties %v: want the first editor's value, the second's summary and party", d.Value, d.Summary, d.Parties)
	}
}

// TestEditorAccessibility scans the editor's pages with axe-core.
func TestEditorAccessibility(t *testing.T) {
	RequireChromium(t)
	srv := StartServer(t)
	email, password := editorAccount(t, srv, "Ada Admin", ledger.RoleAdmin)
	id, _ := wabtec(t, srv)
	var updateID int64
	if err := srv.DB.Pool.QueryRow(context.Background(), `SELECT id FROM status_updates WHERE deal_id = $1 LIMIT 1`, id).Scan(&updateID); err != nil {
		t.Fatal(err)
	}
	var priorityID int64
	if err := srv.DB.Pool.QueryRow(context.Background(), `SELECT id FROM priorities LIMIT 1`).Scan(&priorityID); err != nil {
		t.Fatal(err)
	}
	var userID int64
	if err := srv.DB.Pool.QueryRow(context.Background(), `SELECT id FROM users LIMIT 1`).Scan(&userID); err != nil {
		t.Fatal(err)
	}
	ctx := NewTab(t, TabOptions{})
	signInTab(t, ctx, srv, email, password, "/deals/new")
	for _, path := range []string{"/deals/new", fmt.Sprintf("/deals/%d/edit", id), fmt.Sprintf("/deals/%d/updates/new", id),
		fmt.Sprintf("/updates/%d/correct", updateID), fmt.Sprintf("/deals/%d/history", id), "/changes",
		"/countries/kazakhstan/priorities/new", fmt.Sprintf("/priorities/%d/edit", priorityID), fmt.Sprintf("/deals/%d/delete", id),
		"/organizations/new", "/organizations/wabtec/edit", "/organizations/wabtec/history", "/admin/users",
		fmt.Sprintf("/admin/users/%d/password", userID)} {
		t.Run(path, func(t *testing.T) {
			if status := NavigateResponse(t, ctx, srv.URL+path); status != 200 {
				t.Fatalf("GET %s = %d", path, status)
			}
			CheckAxe(t, ctx)
		})
	}
	t.Run("invalid update form", func(t *testing.T) {
		Navigate(t, ctx, srv.URL+fmt.Sprintf("/deals/%d/updates/new", id))
		Do(t, ctx, "break the source", chromedp.SetValue(chromedp.CSS("#source_url-0"), "javascript:alert(1)"))
		if status := submit(t, ctx, "form.edit-form"); status != 422 {
			t.Fatalf("status = %d, want 422", status)
		}
		CheckAxe(t, ctx)
	})
}

// TestEditorPagesOnAPhone opens every editor page at 360 px: none may be
// wider than the window, and a mistyped date survives the 422 page in a
// real browser, which empties a type="date" input holding no real day.
func TestEditorPagesOnAPhone(t *testing.T) {
	RequireChromium(t)
	srv := StartServer(t)
	email, password := editorAccount(t, srv, "Ada Admin", ledger.RoleAdmin)
	id, _ := wabtec(t, srv)
	var updateID, priorityID int64
	if err := srv.DB.Pool.QueryRow(context.Background(), `SELECT id FROM status_updates WHERE deal_id = $1 LIMIT 1`, id).Scan(&updateID); err != nil {
		t.Fatal(err)
	}
	if err := srv.DB.Pool.QueryRow(context.Background(), `SELECT id FROM priorities LIMIT 1`).Scan(&priorityID); err != nil {
		t.Fatal(err)
	}
	ctx := NewTab(t, TabOptions{Viewport: Phone})
	signInTab(t, ctx, srv, email, password, "/admin/users")
	for _, path := range []string{"/admin/users", "/deals/new", fmt.Sprintf("/deals/%d/edit", id), fmt.Sprintf("/deals/%d/updates/new", id),
		fmt.Sprintf("/updates/%d/correct", updateID), fmt.Sprintf("/deals/%d/history", id), "/changes",
		"/countries/kazakhstan/priorities/new", fmt.Sprintf("/priorities/%d/edit", priorityID), fmt.Sprintf("/deals/%d/delete", id),
		"/organizations/new", "/organizations/wabtec/edit", "/organizations/wabtec/history"} {
		t.Run(path, func(t *testing.T) {
			if status := NavigateResponse(t, ctx, srv.URL+path); status != 200 {
				t.Fatalf("GET %s = %d", path, status)
			}
			NoHorizontalOverflow(t, ctx)
		})
	}
	t.Run("a mistyped date is still there after the 422", func(t *testing.T) {
		Navigate(t, ctx, srv.URL+fmt.Sprintf("/deals/%d/updates/new", id))
		Do(t, ctx, "type a day that does not exist", chromedp.SetValue(chromedp.CSS("#occurred_on"), "2025-02-30"))
		if status := submit(t, ctx, "form.edit-form"); status != 422 {
			t.Fatalf("status = %d, want 422", status)
		}
		if got := value(t, ctx, "#occurred_on"); got != "2025-02-30" {
			t.Errorf("date = %q, want 2025-02-30 as typed", got)
		}
	})
}
