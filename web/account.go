package web

import (
	"net/url"
	"strconv"
	"time"

	"github.com/a-h/templ"
)

// LoginView is the sign-in form: what was typed (never the password),
// where to go after signing in and, when a form was sent after the session
// ended, that form, to send again once signed in.
type LoginView struct {
	Email  string
	Next   string
	Kept   *KeptForm
	Errors FormErrors
}

// AdminUsersView is the admin's list of users and the invitation form.
type AdminUsersView struct {
	Users  []UserRow
	SelfID int64
	Invite InviteForm
}

// UserRow is one user in the admin's list.
type UserRow struct {
	ID        int64
	Name      string
	Email     string
	Role      string
	Disabled  bool
	CreatedAt time.Time
}

// AdminPasswordView is the form to set a user's password (never echoed).
type AdminPasswordView struct {
	ID     int64
	Name   string
	Errors FormErrors
}

// InviteForm is what the admin typed to invite a user (never the password).
type InviteForm struct {
	Name   string
	Email  string
	Role   string
	Errors FormErrors
}

// loginHref links to the sign-in page, coming back to path afterwards.
func loginHref(path string) templ.SafeURL {
	if path == "" || path == "/" || path == "/login" {
		return templ.SafeURL("/login")
	}
	return templ.SafeURL("/login?next=" + url.QueryEscape(path))
}

// userActionURL is the address a button on the admin's list posts to.
func userActionURL(id int64, action string) templ.SafeURL {
	return templ.SafeURL("/admin/users/" + strconv.FormatInt(id, 10) + "/" + action)
}
