package server_test

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"summitledger/internal/ledger"
	"summitledger/internal/server"
	"summitledger/web"
)

const sessionEndedNotice = "Your session ended before your changes were saved. Sign in to continue; what you typed is kept."

// expireSession ends c's session as the idle timeout would: the row stays,
// past its expiry, and the cookie still names it.
func (e *authEnv) expireSession(t *testing.T, c *http.Client) {
	t.Helper()
	tok := e.sessionCookie(t, c)
	tag, err := e.db.Pool.Exec(context.Background(), `UPDATE sessions SET expiry = now() - interval '1 minute' WHERE token = $1`, tok)
	if err != nil || tag.RowsAffected() != 1 {
		t.Fatalf("expire session: %v, %d rows", err, tag.RowsAffected())
	}
}

// signInKeeping fills the sign-in form of a 401 page with email and
// password and sends it, with every hidden field it carries, as a browser would.
func (e *authEnv) signInKeeping(t *testing.T, c *http.Client, page response, email, password string) response {
	t.Helper()
	form := formValues(doc(t, page.body).Find(`form[action="/login"]`))
	form.Set("email", email)
	form.Set("password", password)
	return e.post(t, c, "/login", form)
}

// resubmitForm is the form on the page after signing in with a kept form.
func resubmitForm(d *goquery.Document) *goquery.Selection {
	return d.Find("form.resubmit-form")
}

// TestSessionEndedKeepsForm: an editor whose session ended while typing
// gets 401 with the sign-in form carrying everything typed; signing in
// offers to send it again, unchanged, and sending it saves it.
func TestSessionEndedKeepsForm(t *testing.T) {
	e := newEditEnv(t)
	ctx := context.Background()
	formPage := "/deals/" + itoa(e.dealID) + "/updates/new"
	action := "/deals/" + itoa(e.dealID) + "/updates"
	typed := validUpdate()
	typed.Set("note", "Typed for an hour: <b>\"quotes\"</b> & ampersands,\nand a second line.")
	typed.Set("source_title", "password=hunter2 kept.note next")
	sent := url.Values{}
	for k, v := range typed {
		sent[k] = v
	}
	sent.Set("password", "a stray password field")

	c := e.signIn(t, editorEmail, editorPass)
	if r := e.get(t, c, formPage); r.status != http.StatusOK {
		t.Fatalf("GET %s = %d, want 200", formPage, r.status)
	}
	e.expireSession(t, c)
	before, _ := updatesByDeal(ctx, e.db, e.dealID)
	r := e.post(t, c, action, sent, "Referer", e.ts.URL+formPage)

	t.Run("a signed-out post answers 401 with the sign-in form and the notice", func(t *testing.T) {
		if r.status != http.StatusUnauthorized {
			t.Fatalf("status = %d, want 401\n%s", r.status, r.body)
		}
		d := doc(t, r.body)
		if got := textOf(d.Find(".kept-notice")); got != sessionEndedNotice {
			t.Errorf("notice = %q, want %q", got, sessionEndedNotice)
		}
		if d.Find(`form[action="/login"] input[name="email"]`).Length() != 1 {
			t.Errorf("the page has no sign-in form")
		}
		if got := r.header.Get("Cache-Control"); got != "no-store" {
			t.Errorf("Cache-Control = %q, want no-store: the page holds what was typed", got)
		}
		if now, _ := updatesByDeal(ctx, e.db, e.dealID); len(now) != len(before) {
			t.Errorf("updates = %d, want %d: a signed-out post saved something", len(now), len(before))
		}
	})
	t.Run("every typed value is carried as a hidden field, no password", func(t *testing.T) {
		form := doc(t, r.body).Find(`form[action="/login"]`)
		for name, want := range typed {
			var got []string
			form.Find(`input[type="hidden"]`).Each(func(_ int, s *goquery.Selection) {
				if s.AttrOr("name", "") == web.KeptFieldPrefix+name {
					got = append(got, s.AttrOr("value", ""))
				}
			})
			if !slices.Equal(got, want) {
				t.Errorf("kept %s = %q, want %q", name, got, want)
			}
		}
		if got := form.Find(`input[name="`+web.KeptActionField+`"]`).AttrOr("value", ""); got != action {
			t.Errorf("kept action = %q, want %q", got, action)
		}
		if got := form.Find(`input[name="next"]`).AttrOr("value", ""); got != formPage {
			t.Errorf("next = %q, want the form's page %q", got, formPage)
		}
		if strings.Contains(r.body, "a stray password field") {
			t.Errorf("the page carries the posted password")
		}
		pw := form.Find(`input[name*="password"]`)
		if pw.Length() != 1 || pw.AttrOr("type", "") != "password" || pw.AttrOr("value", "") != "" {
			t.Errorf("password inputs: %d, want only the empty sign-in field", pw.Length())
		}
	})

	t.Run("a failed sign-in keeps the kept form", func(t *testing.T) {
		failed := e.signInKeeping(t, c, r, editorEmail, "wrong password")
		if failed.status != http.StatusUnprocessableEntity {
			t.Fatalf("status = %d, want 422", failed.status)
		}
		got := formValues(doc(t, failed.body).Find(`form[action="/login"]`))
		want := formValues(doc(t, r.body).Find(`form[action="/login"]`))
		got.Del("email")
		want.Del("email")
		if got.Encode() != want.Encode() {
			t.Errorf("after a failed sign-in the form carries\n%s\nwant\n%s", got.Encode(), want.Encode())
		}
		if !strings.Contains(textOf(doc(t, failed.body).Find(".kept-notice")), "what you typed is kept") {
			t.Errorf("the 422 page lost the notice")
		}
	})

	signedIn := e.signInKeeping(t, c, r, editorEmail, editorPass)
	t.Run("signing in answers the resubmission page with the same values and action", func(t *testing.T) {
		if signedIn.status != http.StatusOK {
			t.Fatalf("status = %d, want 200\n%s", signedIn.status, signedIn.body)
		}
		d := doc(t, signedIn.body)
		if got, want := textOf(d.Find("h1")), "Signed in — your changes have not been saved yet"; got != want {
			t.Errorf("heading = %q, want %q", got, want)
		}
		form := resubmitForm(d)
		if got := form.AttrOr("action", ""); got != action {
			t.Errorf("action = %q, want %q", got, action)
		}
		if got := form.AttrOr("method", ""); got != "post" {
			t.Errorf("method = %q, want post", got)
		}
		if got := formValues(form); got.Encode() != typed.Encode() {
			t.Errorf("the form sends\n%s\nwant as typed\n%s", got.Encode(), typed.Encode())
		}
		if got := textOf(form.Find(`button[type="submit"]`)); got != "Save my changes" {
			t.Errorf("button = %q, want Save my changes", got)
		}
		if got := form.Find(`a`).AttrOr("href", ""); got != formPage {
			t.Errorf("discard link = %q, want %q", got, formPage)
		}
		if d.Find(".account .who").Length() != 1 {
			t.Errorf("the page does not show the editor signed in")
		}
		if now, _ := updatesByDeal(ctx, e.db, e.dealID); len(now) != len(before) {
			t.Errorf("updates = %d, want %d: signing in saved the form unasked", len(now), len(before))
		}
	})
	t.Run("submitting it logs the update and moves the deal's stage", func(t *testing.T) {
		form := resubmitForm(doc(t, signedIn.body))
		saved := e.post(t, c, form.AttrOr("action", ""), formValues(form), "Origin", e.ts.URL, "Sec-Fetch-Site", "same-origin")
		if saved.status != http.StatusSeeOther || saved.header.Get("Location") != e.dealPath {
			t.Fatalf("status = %d to %q, want 303 to %s\n%s", saved.status, saved.header.Get("Location"), e.dealPath, saved.body)
		}
		ups, _ := updatesByDeal(ctx, e.db, e.dealID)
		if len(ups) != len(before)+1 {
			t.Fatalf("updates = %d, want %d", len(ups), len(before)+1)
		}
		if got, want := ups[0].Note, typed.Get("note"); got != want {
			t.Errorf("note = %q, want %q", got, want)
		}
		if d := e.deal(t, e.dealID); d.Stage != ledger.StageUnderWay {
			t.Errorf("stage = %s, want under_way", d.Stage)
		}
	})
}

// TestSessionEndedConflict: a kept edit whose version went stale while the
// editor signed in again still gets the 409 page; nothing is overwritten.
func TestSessionEndedConflict(t *testing.T) {
	e := newEditEnv(t)
	path := "/deals/" + itoa(e.dealID) + "/edit"
	c := e.signIn(t, editorEmail, editorPass)
	mine := e.editForm(t, c, e.dealID)
	mine.Set("summary", "Mine, typed before the session ended.")
	e.expireSession(t, c)

	theirs := e.editForm(t, e.admin, e.dealID)
	theirs.Set("title", "Renamed by the admin")
	theirs.Set("summary", "The admin's summary.")
	if r := e.post(t, e.admin, path, theirs); r.status != http.StatusSeeOther {
		t.Fatalf("their save = %d, want 303", r.status)
	}
	r := e.post(t, c, path, mine, "Referer", e.ts.URL+path)
	if r.status != http.StatusUnauthorized {
		t.Fatalf("signed-out edit = %d, want 401", r.status)
	}
	signedIn := e.signInKeeping(t, c, r, editorEmail, editorPass)
	form := resubmitForm(doc(t, signedIn.body))
	if got := formValues(form).Get("version"); got != mine.Get("version") {
		t.Errorf("carried version = %q, want the one the form was opened at, %q", got, mine.Get("version"))
	}
	saved := e.post(t, c, form.AttrOr("action", ""), formValues(form))
	if saved.status != http.StatusConflict {
		t.Fatalf("resubmitted stale edit = %d, want 409", saved.status)
	}
	d := doc(t, saved.body)
	if got, _ := d.Find(`input[name="yours.summary"]`).Attr("value"); got != mine.Get("summary") {
		t.Errorf("the 409 page carries the summary %q, want the editor's %q", got, mine.Get("summary"))
	}
	if got := e.deal(t, e.dealID); got.Title != "Renamed by the admin" || got.Summary != "The admin's summary." {
		t.Errorf("deal = %q / %q: the stale edit overwrote the admin's", got.Title, got.Summary)
	}
}

// TestKeptFormRules: what the sign-in form carries is checked when it
// comes back, and the rules around it hold.
func TestKeptFormRules(t *testing.T) {
	e := newEditEnv(t)
	for _, action := range []string{"//evil.example", "https://evil.example", `/\evil.example`, "javascript:alert(1)"} {
		t.Run("a kept form sent to "+action+" is dropped", func(t *testing.T) {
			form := url.Values{"email": {editorEmail}, "password": {editorPass}, "next": {"/deals"},
				web.KeptActionField: {action}, web.KeptFieldPrefix + "note": {"x"}}
			r := e.post(t, newClient(t), "/login", form)
			if r.status != http.StatusSeeOther || r.header.Get("Location") != "/deals" {
				t.Errorf("sign-in = %d to %q, want the usual 303 to /deals", r.status, r.header.Get("Location"))
			}
			form.Set("password", "wrong password")
			r = e.post(t, newClient(t), "/login", form)
			if r.status != http.StatusUnprocessableEntity || strings.Contains(r.body, "evil.example") || strings.Contains(r.body, "kept-notice") {
				t.Errorf("failed sign-in = %d, want 422 without the foreign kept form", r.status)
			}
		})
	}
	t.Run("an editor resubmitting to an admin route gets 403", func(t *testing.T) {
		path := "/deals/" + itoa(e.dealID) + "/delete"
		c := newClient(t)
		r := e.post(t, c, path, url.Values{"reason": {"Duplicate."}})
		if r.status != http.StatusUnauthorized {
			t.Fatalf("signed-out delete = %d, want 401", r.status)
		}
		form := resubmitForm(doc(t, e.signInKeeping(t, c, r, editorEmail, editorPass).body))
		if got := formValues(form).Get("reason"); got != "Duplicate." {
			t.Errorf("carried reason = %q", got)
		}
		if r := e.post(t, c, form.AttrOr("action", ""), formValues(form)); r.status != http.StatusForbidden {
			t.Errorf("resubmitted as editor = %d, want 403", r.status)
		}
		if e.deal(t, e.dealID).Deleted() {
			t.Error("an editor deleted the deal")
		}
	})
	t.Run("an oversized signed-out form is still 413", func(t *testing.T) {
		form := validUpdate()
		form.Set("note", strings.Repeat("n", 70<<10))
		if r := e.post(t, newClient(t), "/deals/"+itoa(e.dealID)+"/updates", form); r.status != http.StatusRequestEntityTooLarge {
			t.Errorf("status = %d, want 413", r.status)
		}
	})
	t.Run("a kept form of many small fields fits the sign-in form", func(t *testing.T) {
		form := url.Values{}
		for i := range 6000 { // about 60 KiB, as 6000 short fields
			form.Add("f"+itoa(int64(i)), "v")
		}
		c := newClient(t)
		r := e.post(t, c, "/deals/"+itoa(e.dealID)+"/updates", form)
		if r.status != http.StatusUnauthorized {
			t.Fatalf("signed-out post = %d, want 401", r.status)
		}
		if r := e.signInKeeping(t, c, r, editorEmail, editorPass); r.status != http.StatusOK {
			t.Errorf("sign-in carrying it = %d, want 200", r.status)
		}
	})
	t.Run("a GET still answers 303 to sign in", func(t *testing.T) {
		path := "/deals/" + itoa(e.dealID) + "/updates/new"
		r := e.get(t, newClient(t), path)
		if r.status != http.StatusSeeOther || r.header.Get("Location") != "/login?next="+url.QueryEscape(path) {
			t.Errorf("GET = %d to %q, want 303 to sign in", r.status, r.header.Get("Location"))
		}
	})
}

// TestKeptFormThrottled: a throttled sign-in carrying a kept form answers
// 429 with the sign-in form, still carrying it.
func TestKeptFormThrottled(t *testing.T) {
	e := newAuthServer(t, func(s *server.Server) { s.LoginPerAddress, s.LoginPerAccount = 10, 1 })
	addUser(t, e.db, editorEmail, "Ed Itor", ledger.RoleEditor, editorPass)
	c := newClient(t)
	r := e.post(t, c, "/test/editor", url.Values{"note": {"Typed with care."}})
	if r.status != http.StatusUnauthorized {
		t.Fatalf("signed-out post = %d, want 401", r.status)
	}
	e.signInKeeping(t, c, r, editorEmail, "wrong password")
	throttled := e.signInKeeping(t, c, r, editorEmail, editorPass)
	if throttled.status != http.StatusTooManyRequests {
		t.Fatalf("status = %d, want 429", throttled.status)
	}
	form := formValues(doc(t, throttled.body).Find(`form[action="/login"]`))
	if got := form.Get(web.KeptFieldPrefix + "note"); got != "Typed with care." {
		t.Errorf("kept note = %q, want it still carried", got)
	}
	if !strings.Contains(throttled.body, "Wait a minute, then try again.") {
		t.Errorf("the 429 page does not say when to try again")
	}
}
