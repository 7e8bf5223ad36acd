package server_test

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"

	"summitledger/internal/auth"
	"summitledger/internal/ledger"
	"summitledger/internal/postgres"
	"summitledger/internal/postgres/pgtest"
	"summitledger/internal/server"
)

// authEnv is a test server with its store, its log and two stand-in
// routes behind requireEditor (/test/editor) and requireAdmin (/test/admin).
type authEnv struct {
	ts   *httptest.Server
	db   *postgres.DB
	logs *lockedBuffer
}

// lockedBuffer collects log lines written from the server's goroutines.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// newAuthServer starts a server on a fresh database. Sign-in throttling is
// relaxed unless configure sets it, so that only the throttling tests meet it.
func newAuthServer(t *testing.T, configure func(*server.Server)) *authEnv {
	t.Helper()
	db := pgtest.New(t)
	logs := &lockedBuffer{}
	srv := server.New(db, slog.New(slog.NewTextHandler(logs, nil)))
	srv.LoginPerAddress, srv.LoginPerAccount = 1000, 1000
	if configure != nil {
		configure(srv)
	}
	mux := http.NewServeMux()
	mux.Handle("/", srv.Routes())
	mux.Handle("/test/editor", srv.EditorProbe())
	mux.Handle("/test/admin", srv.AdminProbe())
	ts := httptest.NewServer(mux)
	t.Cleanup(ts.Close)
	return &authEnv{ts: ts, db: db, logs: logs}
}

// addUser creates a user with password.
func addUser(t *testing.T, db *postgres.DB, email, name string, role ledger.Role, password string) *ledger.User {
	t.Helper()
	hash, err := auth.HashPassword(password)
	if err != nil {
		t.Fatal(err)
	}
	u := &ledger.User{Email: email, Name: name, Role: role}
	if err := db.CreateUser(context.Background(), ledger.Actor{Name: "test"}, u, hash); err != nil {
		t.Fatalf("CreateUser: %v", err)
	}
	return u
}

// newClient returns a browser-like client: it keeps cookies and does not
// follow redirects, so tests see each 303.
func newClient(t *testing.T) *http.Client {
	t.Helper()
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	return &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

// response is what a test reads of an answer.
type response struct {
	status int
	body   string
	header http.Header
}

func do(t *testing.T, c *http.Client, method, url string, form url.Values, headers ...string) response {
	t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, url, body)
	if err != nil {
		t.Fatal(err)
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return response{status: resp.StatusCode, body: string(b), header: resp.Header}
}

func (e *authEnv) get(t *testing.T, c *http.Client, path string) response {
	t.Helper()
	return do(t, c, http.MethodGet, e.ts.URL+path, nil)
}

func (e *authEnv) post(t *testing.T, c *http.Client, path string, form url.Values, headers ...string) response {
	t.Helper()
	if form == nil {
		form = url.Values{}
	}
	return do(t, c, http.MethodPost, e.ts.URL+path, form, headers...)
}

func (e *authEnv) login(t *testing.T, c *http.Client, email, password, next string) response {
	t.Helper()
	return e.post(t, c, "/login", url.Values{"email": {email}, "password": {password}, "next": {next}})
}

// signIn returns a client signed in as email.
func (e *authEnv) signIn(t *testing.T, email, password string) *http.Client {
	t.Helper()
	c := newClient(t)
	if r := e.login(t, c, email, password, "/"); r.status != http.StatusSeeOther {
		t.Fatalf("sign in as %s: status %d, want 303\n%s", email, r.status, r.body)
	}
	return c
}

// sessionCookie returns the session cookie c holds for the server, or "".
func (e *authEnv) sessionCookie(t *testing.T, c *http.Client) string {
	t.Helper()
	u, _ := url.Parse(e.ts.URL)
	for _, ck := range c.Jar.Cookies(u) {
		if ck.Name == auth.CookieName {
			return ck.Value
		}
	}
	return ""
}

// withCookie returns a client that sends only the given session cookie.
func (e *authEnv) withCookie(t *testing.T, value string) *http.Client {
	t.Helper()
	c := newClient(t)
	u, _ := url.Parse(e.ts.URL)
	c.Jar.SetCookies(u, []*http.Cookie{{Name: auth.CookieName, Value: value, Path: "/"}})
	return c
}

const (
	editorEmail = "ed@example.org"
	editorPass  = "editor password"
	adminEmail  = "ad@example.org"
	adminPass   = "admin password"
)

func TestLogin(t *testing.T) {
	e := newAuthServer(t, nil)
	ed := addUser(t, e.db, editorEmail, "Ed Itor", ledger.RoleEditor, editorPass)

	t.Run("the form asks for email and password", func(t *testing.T) {
		r := e.get(t, newClient(t), "/login")
		if r.status != http.StatusOK {
			t.Fatalf("status = %d, want 200", r.status)
		}
		for _, want := range []string{`name="email"`, `name="password"`, `autocomplete="current-password"`, `action="/login"`} {
			if !strings.Contains(r.body, want) {
				t.Errorf("form lacks %s", want)
			}
		}
	})
	t.Run("readers see a Sign in link that comes back to the page", func(t *testing.T) {
		r := e.get(t, newClient(t), "/no/such/page")
		if !strings.Contains(r.body, `href="/login?next=%2Fno%2Fsuch%2Fpage"`) {
			t.Errorf("page lacks a Sign in link back to itself")
		}
	})
	t.Run("success renews the session token, sets a safe cookie and goes on to next", func(t *testing.T) {
		c := newClient(t)
		// Signing out leaves an anonymous session (its flash message): the
		// token a sign-in must not keep.
		e.post(t, c, "/logout", nil)
		before := e.sessionCookie(t, c)
		if before == "" {
			t.Fatal("no session cookie before signing in")
		}
		r := e.login(t, c, "  ED@example.org ", editorPass, "/deals?country=kz")
		if r.status != http.StatusSeeOther {
			t.Fatalf("status = %d, want 303\n%s", r.status, r.body)
		}
		if got, want := r.header.Get("Location"), "/deals?country=kz"; got != want {
			t.Errorf("Location = %q, want %q", got, want)
		}
		after := e.sessionCookie(t, c)
		if after == "" || after == before {
			t.Errorf("session cookie %q after sign-in, want a new one (was %q)", after, before)
		}
		sc := r.header.Get("Set-Cookie")
		for _, want := range []string{auth.CookieName + "=", "HttpOnly", "SameSite=Lax", "Path=/"} {
			if !strings.Contains(sc, want) {
				t.Errorf("Set-Cookie = %q, want %s", sc, want)
			}
		}
		if strings.Contains(sc, "Secure") {
			t.Errorf("Set-Cookie = %q: Secure over plain HTTP would never come back", sc)
		}
		if r := e.get(t, e.withCookie(t, before), "/test/editor"); r.status != http.StatusSeeOther {
			t.Errorf("the pre-sign-in token opens an editor route: status %d, want 303", r.status)
		}
		home := e.get(t, c, "/")
		for _, want := range []string{"Ed Itor", "Sign out", "You are signed in as Ed Itor."} {
			if !strings.Contains(home.body, want) {
				t.Errorf("home page after sign-in lacks %q", want)
			}
		}
		if strings.Contains(home.body, `href="/admin/users"`) {
			t.Errorf("an editor sees the link to the users page")
		}
		if again := e.get(t, c, "/"); strings.Contains(again.body, "You are signed in") {
			t.Errorf("the flash message shows twice")
		}
	})
	t.Run("a wrong password and an unknown email get the same answer", func(t *testing.T) {
		wrong := e.login(t, newClient(t), editorEmail, "not the password", "/")
		unknown := e.login(t, newClient(t), "nobody@example.org", "not the password", "/")
		if wrong.status != http.StatusUnprocessableEntity || unknown.status != http.StatusUnprocessableEntity {
			t.Fatalf("status = %d and %d, want 422 for both", wrong.status, unknown.status)
		}
		if !strings.Contains(wrong.body, "Email or password is incorrect.") {
			t.Errorf("body lacks the message")
		}
		a := strings.ReplaceAll(wrong.body, editorEmail, "EMAIL")
		b := strings.ReplaceAll(unknown.body, "nobody@example.org", "EMAIL")
		if a != b {
			t.Errorf("the two answers differ beyond the email typed")
		}
		if !strings.Contains(wrong.body, `value="`+editorEmail+`"`) {
			t.Errorf("the typed email is not kept")
		}
		if strings.Contains(wrong.body, "not the password") {
			t.Errorf("the password is echoed back")
		}
	})
	t.Run("an empty form gets 422 with an error summary linking to each field", func(t *testing.T) {
		r := e.login(t, newClient(t), "", "", "/")
		if r.status != http.StatusUnprocessableEntity {
			t.Fatalf("status = %d, want 422", r.status)
		}
		for _, want := range []string{"There is a problem", `href="#email"`, `href="#password"`,
			`id="email-error"`, `aria-describedby="email-error"`, "Enter your email address.", "Enter your password.", "<title>Error: Sign in"} {
			if !strings.Contains(r.body, want) {
				t.Errorf("body lacks %s", want)
			}
		}
	})
	t.Run("a disabled user cannot sign in and gets the same message", func(t *testing.T) {
		u := addUser(t, e.db, "gone@example.org", "Gone", ledger.RoleEditor, "gone password")
		if _, err := e.db.SetUserDisabled(context.Background(), ledger.Actor{}, u.ID, true); err != nil {
			t.Fatal(err)
		}
		r := e.login(t, newClient(t), "gone@example.org", "gone password", "/")
		if r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, "Email or password is incorrect.") {
			t.Errorf("status = %d, want 422 with the one message", r.status)
		}
	})
	t.Run("a user disabled while signed in is signed out on the next request", func(t *testing.T) {
		u := addUser(t, e.db, "soon@example.org", "Soon Gone", ledger.RoleEditor, "soon password")
		c := e.signIn(t, "soon@example.org", "soon password")
		if r := e.get(t, c, "/test/editor"); r.status != http.StatusOK {
			t.Fatalf("before disabling: status %d, want 200", r.status)
		}
		if _, err := e.db.SetUserDisabled(context.Background(), ledger.Actor{}, u.ID, true); err != nil {
			t.Fatal(err)
		}
		if r := e.get(t, c, "/test/editor"); r.status != http.StatusSeeOther {
			t.Errorf("after disabling: status %d, want 303 to sign in", r.status)
		}
	})
	t.Run("a signed-in editor's actor names them", func(t *testing.T) {
		c := e.signIn(t, editorEmail, editorPass)
		r := e.get(t, c, "/test/editor")
		if want := "actor " + itoa(ed.ID) + " Ed Itor"; r.body != want {
			t.Errorf("probe = %q, want %q", r.body, want)
		}
		if home := e.get(t, c, "/"); !strings.Contains(home.body, "Probe visited.") {
			t.Errorf("the flash set on one request does not show on the next page")
		}
	})
	t.Run("every attempt is logged with email, outcome and address, never the password", func(t *testing.T) {
		logs := e.logs.String()
		for _, want := range []string{"msg=sign-in email=ed@example.org outcome=success client=127.0.0.1",
			"outcome=wrong_password", "outcome=unknown_email", "outcome=disabled", "outcome=incomplete"} {
			if !strings.Contains(logs, want) {
				t.Errorf("logs lack %q", want)
			}
		}
		for _, secret := range []string{editorPass, "not the password", "gone password"} {
			if strings.Contains(logs, secret) {
				t.Errorf("logs contain the password %q", secret)
			}
		}
	})
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func TestSecureCookie(t *testing.T) {
	e := newAuthServer(t, func(s *server.Server) { s.BaseURL = "https://ledger.example.org" })
	addUser(t, e.db, editorEmail, "Ed Itor", ledger.RoleEditor, editorPass)
	r := e.login(t, newClient(t), editorEmail, editorPass, "/")
	sc := r.header.Get("Set-Cookie")
	for _, want := range []string{auth.TLSCookieName + "=", "Secure", "HttpOnly", "SameSite=Lax", "Path=/"} {
		if !strings.Contains(sc, want) {
			t.Errorf("served over TLS, Set-Cookie = %q, want %s", sc, want)
		}
	}
	if strings.Contains(sc, "Domain=") {
		t.Errorf("Set-Cookie = %q: a __Host- cookie must have no Domain", sc)
	}
}

func TestLoginNext(t *testing.T) {
	e := newAuthServer(t, nil)
	addUser(t, e.db, editorEmail, "Ed Itor", ledger.RoleEditor, editorPass)
	for _, next := range []string{"//evil.example", "https://evil.example", `/\evil.example`, "/\t/evil.example",
		"javascript:alert(1)", "evil.example", "", "///evil.example"} {
		t.Run("refuses "+strings.ReplaceAll(next, "\t", `\t`), func(t *testing.T) {
			r := e.login(t, newClient(t), editorEmail, editorPass, next)
			if got := r.header.Get("Location"); got != "/" {
				t.Errorf("Location = %q, want /", got)
			}
			if server.SafeNext(next) != "/" {
				t.Errorf("SafeNext(%q) = %q, want /", next, server.SafeNext(next))
			}
		})
	}
	t.Run("keeps a local path with its query", func(t *testing.T) {
		r := e.login(t, newClient(t), editorEmail, editorPass, "/deals/3/edit?tab=value")
		if got, want := r.header.Get("Location"), "/deals/3/edit?tab=value"; got != want {
			t.Errorf("Location = %q, want %q", got, want)
		}
	})
	t.Run("the form does not carry a foreign next", func(t *testing.T) {
		r := e.get(t, newClient(t), "/login?next="+url.QueryEscape("//evil.example"))
		if strings.Contains(r.body, "evil.example") {
			t.Errorf("the sign-in form carries the foreign next")
		}
	})
}

func TestLoginThrottle(t *testing.T) {
	t.Run("per account and address: the sixth attempt after five failures gets 429", func(t *testing.T) {
		e := newAuthServer(t, func(s *server.Server) { s.LoginPerAddress, s.LoginPerAccount = 10, 5 })
		addUser(t, e.db, editorEmail, "Ed Itor", ledger.RoleEditor, editorPass)
		for i := range 5 {
			if r := e.login(t, newClient(t), editorEmail, "wrong password", "/"); r.status != http.StatusUnprocessableEntity {
				t.Fatalf("attempt %d: status %d, want 422", i+1, r.status)
			}
		}
		r := e.login(t, newClient(t), "ED@example.org", editorPass, "/")
		if r.status != http.StatusTooManyRequests {
			t.Fatalf("sixth attempt: status %d, want 429", r.status)
		}
		if got := r.header.Get("Retry-After"); got != "60" {
			t.Errorf("Retry-After = %q, want 60", got)
		}
		if !strings.Contains(r.body, "Wait a minute, then try again.") || !strings.Contains(r.header.Get("Content-Type"), "text/html") {
			t.Errorf("the 429 is not an HTML page that says when to try again")
		}
		if r := e.login(t, newClient(t), "other@example.org", "wrong password", "/"); r.status != http.StatusUnprocessableEntity {
			t.Errorf("another email from the same address: status %d, want 422", r.status)
		}
		if !strings.Contains(e.logs.String(), "outcome=throttled") {
			t.Errorf("the throttled attempt is not logged")
		}
	})
	t.Run("per address: the eleventh attempt in a minute gets 429", func(t *testing.T) {
		e := newAuthServer(t, func(s *server.Server) { s.LoginPerAddress, s.LoginPerAccount = 10, 5 })
		for i := range 10 {
			email := "user" + itoa(int64(i)) + "@example.org"
			if r := e.login(t, newClient(t), email, "wrong password", "/"); r.status != http.StatusUnprocessableEntity {
				t.Fatalf("attempt %d: status %d, want 422", i+1, r.status)
			}
		}
		if r := e.login(t, newClient(t), "fresh@example.org", "wrong password", "/"); r.status != http.StatusTooManyRequests {
			t.Errorf("eleventh attempt: status %d, want 429", r.status)
		}
	})
	behindProxy := func(s *server.Server) {
		s.LoginPerAddress, s.LoginPerAccount = 10, 5
		s.TrustedProxies = []string{"127.0.0.0/8", "::1/128"}
	}
	from := func(addr string) []string { return []string{"X-Forwarded-For", addr} }
	t.Run("failures from other addresses never refuse the right password from a clean one", func(t *testing.T) {
		e := newAuthServer(t, behindProxy)
		addUser(t, e.db, editorEmail, "Ed Itor", ledger.RoleEditor, editorPass)
		for i := range 3 {
			for range 5 {
				r := e.post(t, newClient(t), "/login", url.Values{"email": {editorEmail}, "password": {"wrong password"}},
					from("203.0.113."+itoa(int64(i+1)))...)
				if r.status != http.StatusUnprocessableEntity {
					t.Fatalf("attacker attempt: status %d, want 422", r.status)
				}
			}
			// The attacker's address is now throttled for this account.
			r := e.post(t, newClient(t), "/login", url.Values{"email": {editorEmail}, "password": {"wrong password"}},
				from("203.0.113."+itoa(int64(i+1)))...)
			if r.status != http.StatusTooManyRequests {
				t.Fatalf("sixth attempt from one address: status %d, want 429", r.status)
			}
		}
		r := e.post(t, newClient(t), "/login", url.Values{"email": {editorEmail}, "password": {editorPass}}, from("198.51.100.7")...)
		if r.status != http.StatusSeeOther {
			t.Errorf("the editor's own sign-in from a clean address: status %d, want 303", r.status)
		}
	})
	t.Run("successful sign-ins never count", func(t *testing.T) {
		e := newAuthServer(t, behindProxy)
		addUser(t, e.db, editorEmail, "Ed Itor", ledger.RoleEditor, editorPass)
		for i := range 12 {
			r := e.post(t, newClient(t), "/login", url.Values{"email": {editorEmail}, "password": {editorPass}}, from("198.51.100.7")...)
			if r.status != http.StatusSeeOther {
				t.Fatalf("sign-in %d from one address: status %d, want 303", i+1, r.status)
			}
		}
		for i := range 4 {
			r := e.post(t, newClient(t), "/login", url.Values{"email": {editorEmail}, "password": {"wrong password"}}, from("198.51.100.7")...)
			if r.status != http.StatusUnprocessableEntity {
				t.Fatalf("failure %d after the successes: status %d, want 422", i+1, r.status)
			}
		}
		r := e.post(t, newClient(t), "/login", url.Values{"email": {editorEmail}, "password": {editorPass}}, from("198.51.100.7")...)
		if r.status != http.StatusSeeOther {
			t.Errorf("the right password after 4 failures: status %d, want 303 (the limit is 5 failures)", r.status)
		}
	})
	t.Run("X-Forwarded-For is ignored without a trusted proxy", func(t *testing.T) {
		e := newAuthServer(t, func(s *server.Server) { s.LoginPerAddress, s.LoginPerAccount = 2, 100 })
		for i := range 2 {
			e.post(t, newClient(t), "/login", url.Values{"email": {"a@example.org"}, "password": {"x"}},
				"X-Forwarded-For", "203.0.113."+itoa(int64(i)))
		}
		r := e.post(t, newClient(t), "/login", url.Values{"email": {"a@example.org"}, "password": {"x"}},
			"X-Forwarded-For", "203.0.113.99")
		if r.status != http.StatusTooManyRequests {
			t.Errorf("a spoofed X-Forwarded-For escaped the limit: status %d, want 429", r.status)
		}
	})
}

func TestCrossOriginProtection(t *testing.T) {
	e := newAuthServer(t, nil)
	addUser(t, e.db, editorEmail, "Ed Itor", ledger.RoleEditor, editorPass)
	evil := []string{"Origin", "https://evil.example", "Sec-Fetch-Site", "cross-site"}

	t.Run("a cross-origin sign-in is refused with 403", func(t *testing.T) {
		r := e.post(t, newClient(t), "/login", url.Values{"email": {editorEmail}, "password": {editorPass}}, evil...)
		if r.status != http.StatusForbidden {
			t.Errorf("status = %d, want 403", r.status)
		}
		if !strings.Contains(r.body, "sent from another site") {
			t.Errorf("the 403 page does not say why")
		}
	})
	t.Run("a cross-origin sign-out is refused and the session lives on", func(t *testing.T) {
		c := e.signIn(t, editorEmail, editorPass)
		if r := e.post(t, c, "/logout", nil, evil...); r.status != http.StatusForbidden {
			t.Errorf("status = %d, want 403", r.status)
		}
		if r := e.get(t, c, "/test/editor"); r.status != http.StatusOK {
			t.Errorf("after the refused sign-out: status %d, want 200", r.status)
		}
	})
	t.Run("a same-origin post goes through", func(t *testing.T) {
		r := e.post(t, newClient(t), "/login", url.Values{"email": {editorEmail}, "password": {editorPass}},
			"Origin", e.ts.URL, "Sec-Fetch-Site", "same-origin")
		if r.status != http.StatusSeeOther {
			t.Errorf("status = %d, want 303", r.status)
		}
	})
}

func TestRequireEditor(t *testing.T) {
	e := newAuthServer(t, nil)
	addUser(t, e.db, editorEmail, "Ed Itor", ledger.RoleEditor, editorPass)
	addUser(t, e.db, adminEmail, "Ada Admin", ledger.RoleAdmin, adminPass)

	t.Run("a reader is sent to sign in and back", func(t *testing.T) {
		r := do(t, newClient(t), http.MethodGet, e.ts.URL+"/test/editor?deal=3", nil)
		if r.status != http.StatusSeeOther {
			t.Fatalf("status = %d, want 303", r.status)
		}
		if got, want := r.header.Get("Location"), "/login?next="+url.QueryEscape("/test/editor?deal=3"); got != want {
			t.Errorf("Location = %q, want %q", got, want)
		}
	})
	t.Run("a reader's form post gets 401 with the sign-in form, back to the page it came from", func(t *testing.T) {
		r := e.post(t, newClient(t), "/test/editor", nil, "Referer", e.ts.URL+"/deals/3/updates/new")
		if r.status != http.StatusUnauthorized {
			t.Fatalf("status = %d, want 401", r.status)
		}
		if !strings.Contains(r.body, `name="next" value="/deals/3/updates/new"`) {
			t.Errorf("the sign-in form does not lead back to the page the form came from")
		}
	})
	t.Run("an editor and an admin pass", func(t *testing.T) {
		for _, who := range [][2]string{{editorEmail, editorPass}, {adminEmail, adminPass}} {
			if r := e.get(t, e.signIn(t, who[0], who[1]), "/test/editor"); r.status != http.StatusOK {
				t.Errorf("%s: status %d, want 200", who[0], r.status)
			}
		}
	})
	t.Run("an editor gets 403 from an admin route", func(t *testing.T) {
		r := e.get(t, e.signIn(t, editorEmail, editorPass), "/test/admin")
		if r.status != http.StatusForbidden {
			t.Errorf("status = %d, want 403", r.status)
		}
	})
}

func TestLogout(t *testing.T) {
	e := newAuthServer(t, nil)
	addUser(t, e.db, editorEmail, "Ed Itor", ledger.RoleEditor, editorPass)
	c := e.signIn(t, editorEmail, editorPass)
	old := e.sessionCookie(t, c)

	r := e.post(t, c, "/logout", nil)
	if r.status != http.StatusSeeOther || r.header.Get("Location") != "/" {
		t.Fatalf("logout: status %d to %q, want 303 to /", r.status, r.header.Get("Location"))
	}
	t.Run("the old cookie no longer works", func(t *testing.T) {
		if r := e.get(t, e.withCookie(t, old), "/test/editor"); r.status != http.StatusSeeOther {
			t.Errorf("status = %d, want 303 to sign in", r.status)
		}
		var n int
		e.db.Pool.QueryRow(context.Background(), `SELECT count(*) FROM sessions WHERE token = $1`, old).Scan(&n)
		if n != 0 {
			t.Errorf("the session row is still stored")
		}
	})
	t.Run("the next page says so and offers to sign in", func(t *testing.T) {
		home := e.get(t, c, "/")
		if !strings.Contains(home.body, "You have signed out.") || !strings.Contains(home.body, `href="/login"`) {
			t.Errorf("home page after sign-out lacks the message or the Sign in link")
		}
	})
	t.Run("a GET does not sign out", func(t *testing.T) {
		c := e.signIn(t, editorEmail, editorPass)
		if r := e.get(t, c, "/logout"); r.status != http.StatusMethodNotAllowed {
			t.Errorf("GET /logout = %d, want 405", r.status)
		}
		if r := e.get(t, c, "/test/editor"); r.status != http.StatusOK {
			t.Errorf("after GET /logout: status %d, want still signed in", r.status)
		}
	})
}
