package web

import (
	"net/url"
	"strconv"
	"time"

	"github.com/a-h/templ"
)

// FieldError is one invalid form field: the id of its input and the
// message shown beside it and in the error summary.
type FieldError struct {
	Field   string
	Message string
}

// FieldErrors are a form's invalid fields in the order the form shows them.
type FieldErrors []FieldError

// Add records msg for field unless the field already has a message.
func (e *FieldErrors) Add(field, msg string) {
	if e.For(field) == "" {
		*e = append(*e, FieldError{Field: field, Message: msg})
	}
}

// For returns field's message, or "".
func (e FieldErrors) For(field string) string {
	for _, fe := range e {
		if fe.Field == field {
			return fe.Message
		}
	}
	return ""
}

// LoginView is the sign-in form: what was typed (never the password) and
// where to go after signing in.
type LoginView struct {
	Email  string
	Next   string
	Errors FieldErrors
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

// InviteForm is what the admin typed to invite a user (never the password).
type InviteForm struct {
	Name   string
	Email  string
	Role   string
	Errors FieldErrors
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
