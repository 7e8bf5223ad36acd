package server

import (
	"net/http"
	"net/url"
	"slices"
	"strings"

	"summitledger/internal/ledger"
	"summitledger/web"
)

// loginFormBytes bounds the sign-in form, which may carry a kept form of up
// to maxFormBytes. Carrying renames each field with web.KeptFieldPrefix, so
// the smallest field, "a=&" (3 bytes), becomes "kept.a=&" (8): three times
// maxFormBytes holds any form a browser sent, and 16 KiB the sign-in fields.
const loginFormBytes = 16<<10 + 3*maxFormBytes

// sessionEnded answers a form sent with no one signed in, which is what an
// editor's form becomes once the session timed out or was signed out: 401
// with the sign-in form, carrying every field sent and the form's address,
// so that signing in offers to send it again and nothing typed is lost. A
// body over maxFormBytes is still a 413.
func (s *Server) sessionEnded(w http.ResponseWriter, r *http.Request) {
	if err := parseForm(w, r); err != nil {
		s.error(w, r, err)
		return
	}
	kept := keepForm(r.URL.RequestURI(), r.PostForm)
	if kept == nil { // not a path the sign-in form could send it back to
		http.Redirect(w, r, "/login?next="+url.QueryEscape(loginNext(r)), http.StatusSeeOther)
		return
	}
	s.Log.Info("form kept through sign-in", "method", r.Method, "path", r.URL.Path, "fields", len(kept.Fields))
	p := s.page(r, "Sign in to save your changes")
	p.Path = "/login" // the header's Sign in link must not point back at a POST-only address
	w.Header().Set("Cache-Control", "no-store")
	s.render(w, r, http.StatusUnauthorized, web.Login(p, web.LoginView{Next: loginNext(r), Kept: kept}))
}

// keepForm returns the form sent to action, to carry through sign-in, or
// nil when action is not a local path (the rule of safeNext). Fields whose
// name mentions a password are dropped: a password never travels in a
// page. Names are sorted; each name keeps its values in the order sent,
// which is what pairs a form's repeated fields (org_id with org_role).
func keepForm(action string, form url.Values) *web.KeptForm {
	if action == "" || safeNext(action) != action {
		return nil
	}
	kept := &web.KeptForm{Action: action}
	names := make([]string, 0, len(form))
	for name := range form {
		if !strings.Contains(strings.ToLower(name), "password") {
			names = append(names, name)
		}
	}
	slices.Sort(names)
	for _, name := range names {
		for _, v := range form[name] {
			kept.Fields = append(kept.Fields, web.KeptField{Name: name, Value: v})
		}
	}
	return kept
}

// keptFromLogin reads the kept form a sign-in form carries, or nil when it
// carries none or its action is not a local path.
func keptFromLogin(form url.Values) *web.KeptForm {
	action, ok := form[web.KeptActionField]
	if !ok || len(action) != 1 {
		return nil
	}
	fields := url.Values{}
	for name, vs := range form {
		if n, ok := strings.CutPrefix(name, web.KeptFieldPrefix); ok {
			fields[n] = vs
		}
	}
	return keepForm(action[0], fields)
}

// resubmit answers a sign-in that carried a kept form: 200 with the form
// ready to send again, unchanged, to where it was going. The page shows u
// signed in, as the next request will see them.
func (s *Server) resubmit(w http.ResponseWriter, r *http.Request, u *ledger.User, next string, kept *web.KeptForm) {
	if st, ok := r.Context().Value(sessionKey).(*sessionState); ok {
		st.user = u
	}
	w.Header().Set("Cache-Control", "no-store")
	s.render(w, r, http.StatusOK, web.Resubmit(s.page(r, "Signed in: your changes are not saved yet"),
		web.ResubmitView{Name: u.Name, Next: next, Kept: kept}))
}
