package server

import (
	"errors"
	"net/http"
	"strings"

	"summitledger/internal/auth"
	"summitledger/internal/ledger"
	"summitledger/web"
)

// inviteFields are the invitation form's fields in the order it shows them,
// so that the error summary lists them in that order too.
var inviteFields = []string{"name", "email", "role", "password"}

// adminUsers lists every user with the invitation form.
func (s *Server) adminUsers(w http.ResponseWriter, r *http.Request) {
	s.renderUsers(w, r, http.StatusOK, web.InviteForm{Role: string(ledger.RoleEditor)})
}

func (s *Server) renderUsers(w http.ResponseWriter, r *http.Request, status int, form web.InviteForm) {
	users, err := s.DB.Users(r.Context())
	if err != nil {
		s.error(w, r, err)
		return
	}
	v := web.AdminUsersView{Invite: form, SelfID: s.actor(r).UserID}
	for _, u := range users {
		v.Users = append(v.Users, web.UserRow{ID: u.ID, Name: u.Name, Email: u.Email, Role: string(u.Role),
			Disabled: u.Disabled(), CreatedAt: u.CreatedAt})
	}
	title := "Users"
	if len(form.Errors) > 0 {
		title = "Error: Users"
	}
	s.render(w, r, status, web.AdminUsers(s.page(r, title), v))
}

// inviteUser creates a user with the first password the admin chose.
func (s *Server) inviteUser(w http.ResponseWriter, r *http.Request) {
	// Read the body first: PostFormValue would drop a too-large one
	// silently and answer 422 about empty fields instead of 413.
	if err := parseForm(w, r); err != nil {
		s.error(w, r, err)
		return
	}
	form := web.InviteForm{Name: strings.TrimSpace(r.PostFormValue("name")), Email: ledger.NormalizeEmail(r.PostFormValue("email")),
		Role: r.PostFormValue("role")}
	password := r.PostFormValue("password")
	u := &ledger.User{Email: form.Email, Name: form.Name, Role: ledger.Role(form.Role)}

	fields := map[string]string{}
	for _, err := range []error{u.Validate(), ledger.ValidatePassword(password)} {
		var e *ledger.Error
		if errors.As(err, &e) {
			for f, m := range e.Fields {
				fields[f] = m
			}
		}
	}
	if len(fields) == 0 {
		hash, err := auth.HashPassword(password)
		if err != nil {
			s.error(w, r, err)
			return
		}
		err = s.DB.CreateUser(r.Context(), s.actor(r), u, hash)
		var e *ledger.Error
		switch {
		case err == nil:
			s.Log.Info("user invited", "user_id", u.ID, "email", u.Email, "role", u.Role, "by", s.actor(r).UserID)
			s.flash(r, "Invited "+u.Name+" as "+string(u.Role)+". Give them their first password by a safe channel.")
			http.Redirect(w, r, "/admin/users", http.StatusSeeOther)
			return
		case errors.As(err, &e) && len(e.Fields) > 0:
			fields = e.Fields
		default:
			s.error(w, r, err)
			return
		}
	}
	for _, f := range inviteFields {
		if m, ok := fields[f]; ok {
			form.Errors.Add(f, m)
		}
	}
	s.renderUsers(w, r, http.StatusUnprocessableEntity, form)
}

// disableUser stops a user from signing in; their sessions end on their next request.
func (s *Server) disableUser(w http.ResponseWriter, r *http.Request) { s.setDisabled(w, r, true) }

// enableUser lets a disabled user sign in again.
func (s *Server) enableUser(w http.ResponseWriter, r *http.Request) { s.setDisabled(w, r, false) }

func (s *Server) setDisabled(w http.ResponseWriter, r *http.Request, disabled bool) {
	id, ok := urlID(r)
	if !ok {
		s.error(w, r, ledger.Errorf(ledger.ENOTFOUND, "User not found."))
		return
	}
	if disabled && id == s.actor(r).UserID {
		// Locking oneself out would leave no one to undo it from the page.
		s.error(w, r, ledger.Errorf(ledger.EINVALID, "You cannot disable your own account."))
		return
	}
	u, err := s.DB.SetUserDisabled(r.Context(), s.actor(r), id, disabled)
	if err != nil {
		s.error(w, r, err)
		return
	}
	s.Log.Info("user access changed", "user_id", u.ID, "disabled", disabled, "by", s.actor(r).UserID)
	if disabled {
		s.flash(r, u.Name+" is disabled and can no longer sign in.")
	} else {
		s.flash(r, u.Name+" is enabled and can sign in again.")
	}
	http.Redirect(w, r, "/admin/users", http.StatusSeeOther)
}
