package server_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"summitledger/internal/ledger"
)

func TestAdminUsers(t *testing.T) {
	e := newAuthServer(t, nil)
	ed := addUser(t, e.db, editorEmail, "Ed Itor", ledger.RoleEditor, editorPass)
	admin := addUser(t, e.db, adminEmail, "Ada Admin", ledger.RoleAdmin, adminPass)
	ac := e.signIn(t, adminEmail, adminPass)

	t.Run("a reader is sent to sign in", func(t *testing.T) {
		r := e.get(t, newClient(t), "/admin/users")
		if got, want := r.header.Get("Location"), "/login?next=%2Fadmin%2Fusers"; r.status != http.StatusSeeOther || got != want {
			t.Errorf("status %d to %q, want 303 to %q", r.status, got, want)
		}
	})
	t.Run("an editor gets a 403 page", func(t *testing.T) {
		c := e.signIn(t, editorEmail, editorPass)
		r := e.get(t, c, "/admin/users")
		if r.status != http.StatusForbidden {
			t.Fatalf("status = %d, want 403", r.status)
		}
		if !strings.Contains(r.body, "Only administrators") || !strings.Contains(r.body, "<h1>Not allowed</h1>") {
			t.Errorf("the 403 page does not explain itself")
		}
		if r := e.post(t, c, "/admin/users", url.Values{"name": {"X"}, "email": {"x@example.org"}, "role": {"admin"}, "password": {"long enough"}}); r.status != http.StatusForbidden {
			t.Errorf("an editor's invitation: status %d, want 403", r.status)
		}
	})
	t.Run("an admin sees every user and a link to the page", func(t *testing.T) {
		r := e.get(t, ac, "/admin/users")
		if r.status != http.StatusOK {
			t.Fatalf("status = %d, want 200", r.status)
		}
		for _, want := range []string{"Ed Itor", editorEmail, "Ada Admin", `href="/admin/users"`, "Invite a user",
			`action="/admin/users/` + itoa(ed.ID) + `/disable"`} {
			if !strings.Contains(r.body, want) {
				t.Errorf("page lacks %q", want)
			}
		}
		if strings.Contains(r.body, `/admin/users/`+itoa(admin.ID)+`/disable`) {
			t.Errorf("the admin is offered to disable their own account")
		}
	})
	t.Run("an invitation creates a user who can sign in", func(t *testing.T) {
		r := e.post(t, ac, "/admin/users", url.Values{"name": {"Nia New"}, "email": {"nia@example.org"}, "role": {"editor"}, "password": {"first password"}})
		if r.status != http.StatusSeeOther || r.header.Get("Location") != "/admin/users" {
			t.Fatalf("status %d to %q, want 303 to /admin/users\n%s", r.status, r.header.Get("Location"), r.body)
		}
		if page := e.get(t, ac, "/admin/users"); !strings.Contains(page.body, "Invited Nia New as editor.") {
			t.Errorf("no flash message after the invitation")
		}
		e.signIn(t, "nia@example.org", "first password")
		u, _, _ := e.db.UserByEmail(context.Background(), "nia@example.org")
		revs, _ := e.db.RevisionsFor(context.Background(), "user", u.ID)
		if len(revs) != 1 || revs[0].ActorID != admin.ID {
			t.Errorf("revisions = %+v, want one by the admin", revs)
		}
	})
	t.Run("an invalid invitation gets 422 with the values kept and the password not echoed", func(t *testing.T) {
		r := e.post(t, ac, "/admin/users", url.Values{"name": {""}, "email": {"<b>not-an-email"}, "role": {"admin"}, "password": {"short"}})
		if r.status != http.StatusUnprocessableEntity {
			t.Fatalf("status = %d, want 422", r.status)
		}
		for _, want := range []string{"There is a problem", `href="#name"`, `href="#email"`, `href="#password"`,
			`value="&lt;b&gt;not-an-email"`, "at least 8 characters"} {
			if !strings.Contains(r.body, want) {
				t.Errorf("body lacks %q", want)
			}
		}
		if i, j := strings.Index(r.body, `href="#name"`), strings.Index(r.body, `href="#password"`); i > j {
			t.Errorf("the summary does not follow the form's order")
		}
		if !strings.Contains(r.body, `value="admin" checked`) {
			t.Errorf("the chosen role is not kept")
		}
		if strings.Contains(r.body, `value="short"`) {
			t.Errorf("the password is echoed back")
		}
	})
	t.Run("a taken email gets 422 on the email field", func(t *testing.T) {
		r := e.post(t, ac, "/admin/users", url.Values{"name": {"Ed Again"}, "email": {"ED@example.org"}, "role": {"editor"}, "password": {"long enough"}})
		if r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, "already exists") || !strings.Contains(r.body, `href="#email"`) {
			t.Errorf("status = %d, want 422 with the email field's message", r.status)
		}
	})
	t.Run("disabling signs the user out and stops sign-in; enabling lets them back", func(t *testing.T) {
		ec := e.signIn(t, editorEmail, editorPass)
		r := e.post(t, ac, "/admin/users/"+itoa(ed.ID)+"/disable", nil)
		if r.status != http.StatusSeeOther {
			t.Fatalf("disable: status %d, want 303", r.status)
		}
		if r := e.get(t, ec, "/test/editor"); r.status != http.StatusSeeOther {
			t.Errorf("the disabled editor's session still works: status %d", r.status)
		}
		if r := e.login(t, newClient(t), editorEmail, editorPass, "/"); r.status != http.StatusUnprocessableEntity {
			t.Errorf("the disabled editor can sign in: status %d", r.status)
		}
		if page := e.get(t, ac, "/admin/users"); !strings.Contains(page.body, `/admin/users/`+itoa(ed.ID)+`/enable`) {
			t.Errorf("the list offers no way to enable the disabled user")
		}
		if r := e.post(t, ac, "/admin/users/"+itoa(ed.ID)+"/enable", nil); r.status != http.StatusSeeOther {
			t.Fatalf("enable: status %d, want 303", r.status)
		}
		e.signIn(t, editorEmail, editorPass)
	})
	t.Run("re-enabling a disabled user revives none of their old sessions", func(t *testing.T) {
		ec := e.signIn(t, editorEmail, editorPass)
		old := e.sessionCookie(t, ec)
		for _, action := range []string{"disable", "enable"} {
			if r := e.post(t, ac, "/admin/users/"+itoa(ed.ID)+"/"+action, nil); r.status != http.StatusSeeOther {
				t.Fatalf("%s: status %d, want 303", action, r.status)
			}
		}
		if r := e.get(t, e.withCookie(t, old), "/test/editor"); r.status != http.StatusSeeOther {
			t.Errorf("the session from before the disable works again after the enable: status %d, want 303 to sign in", r.status)
		}
	})
	t.Run("setting a password ends every session of that user", func(t *testing.T) {
		phone, laptop := e.signIn(t, editorEmail, editorPass), e.signIn(t, editorEmail, editorPass)
		form := e.get(t, ac, "/admin/users/"+itoa(ed.ID)+"/password")
		if form.status != http.StatusOK || !strings.Contains(form.body, `name="password"`) {
			t.Fatalf("password form: status %d, want 200 with a password field", form.status)
		}
		if !strings.Contains(e.get(t, ac, "/admin/users").body, `href="/admin/users/`+itoa(ed.ID)+`/password"`) {
			t.Errorf("the list of users does not link to the password form")
		}
		if r := e.post(t, ac, "/admin/users/"+itoa(ed.ID)+"/password", url.Values{"password": {"short"}}); r.status != http.StatusUnprocessableEntity || strings.Contains(r.body, `value="short"`) {
			t.Errorf("a short password: status %d, want 422 without echoing it", r.status)
		}
		if r := e.get(t, phone, "/test/editor"); r.status != http.StatusOK {
			t.Fatalf("a refused password change signed the user out: status %d", r.status)
		}
		r := e.post(t, ac, "/admin/users/"+itoa(ed.ID)+"/password", url.Values{"password": {"a new editor password"}})
		if r.status != http.StatusSeeOther || r.header.Get("Location") != "/admin/users" {
			t.Fatalf("set password: status %d to %q, want 303 to /admin/users", r.status, r.header.Get("Location"))
		}
		for name, c := range map[string]*http.Client{"phone": phone, "laptop": laptop} {
			if r := e.get(t, c, "/test/editor"); r.status != http.StatusSeeOther {
				t.Errorf("the %s session still works after the password change: status %d, want 303 to sign in", name, r.status)
			}
		}
		if r := e.login(t, newClient(t), editorEmail, editorPass, "/"); r.status != http.StatusUnprocessableEntity {
			t.Errorf("the old password still signs in: status %d", r.status)
		}
		e.signIn(t, editorEmail, "a new editor password")
		revs, _ := e.db.RevisionsFor(context.Background(), "user", ed.ID)
		if len(revs) == 0 || revs[0].Reason != "Password changed." || revs[0].ActorID != admin.ID {
			t.Errorf("latest revision = %+v, want the password change by the admin", revs[0])
		}
	})
	t.Run("an admin who sets their own password stays signed in here, and only here", func(t *testing.T) {
		other := e.signIn(t, adminEmail, adminPass)
		if r := e.post(t, ac, "/admin/users/"+itoa(admin.ID)+"/password", url.Values{"password": {"a new admin password"}}); r.status != http.StatusSeeOther {
			t.Fatalf("set own password: status %d, want 303", r.status)
		}
		if r := e.get(t, ac, "/admin/users"); r.status != http.StatusOK {
			t.Errorf("the admin's own session ended: status %d, want 200", r.status)
		}
		if r := e.get(t, other, "/admin/users"); r.status != http.StatusSeeOther {
			t.Errorf("the admin's other session still works: status %d, want 303 to sign in", r.status)
		}
	})
	t.Run("an admin cannot disable their own account", func(t *testing.T) {
		r := e.post(t, ac, "/admin/users/"+itoa(admin.ID)+"/disable", nil)
		if r.status != http.StatusBadRequest {
			t.Errorf("status = %d, want 400", r.status)
		}
	})
	t.Run("an unknown user is 404", func(t *testing.T) {
		for _, path := range []string{"/admin/users/999999/disable", "/admin/users/abc/enable"} {
			if r := e.post(t, ac, path, nil); r.status != http.StatusNotFound {
				t.Errorf("%s: status %d, want 404", path, r.status)
			}
		}
	})
	t.Run("a cross-origin invitation is refused", func(t *testing.T) {
		r := e.post(t, ac, "/admin/users", url.Values{"name": {"Eve"}, "email": {"eve@example.org"}, "role": {"admin"}, "password": {"long enough"}},
			"Origin", "https://evil.example", "Sec-Fetch-Site", "cross-site")
		if r.status != http.StatusForbidden {
			t.Errorf("status = %d, want 403", r.status)
		}
		if _, _, err := e.db.UserByEmail(context.Background(), "eve@example.org"); ledger.ErrorCode(err) != ledger.ENOTFOUND {
			t.Errorf("the cross-origin invitation created a user")
		}
	})
}
