package server

import (
	"errors"
	"net/http"

	"summitledger/internal/auth"
	"summitledger/internal/ledger"
	"summitledger/web"
)

// userPasswordForm asks an admin for a user's new password.
func (s *Server) userPasswordForm(w http.ResponseWriter, r *http.Request) {
	u, err := s.userFromPath(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, web.AdminPassword(s.page(r, "Set a password"), web.AdminPasswordView{ID: u.ID, Name: u.Name}))
}

// userPasswordSet replaces a user's password. Every session the user had
// ends, on every device; an admin who sets their own password stays signed
// in here, under a new token.
func (s *Server) userPasswordSet(w http.ResponseWriter, r *http.Request) {
	u, err := s.userFromPath(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	if err := parseForm(w, r); err != nil {
		s.error(w, r, err)
		return
	}
	password := r.PostForm.Get("password")
	if err := ledger.ValidatePassword(password); err != nil {
		v := web.AdminPasswordView{ID: u.ID, Name: u.Name}
		var e *ledger.Error
		if errors.As(err, &e) {
			v.Errors.Add("password", e.Fields["password"])
		}
		s.render(w, r, http.StatusUnprocessableEntity, web.AdminPassword(s.page(r, "Error: Set a password"), v))
		return
	}
	hash, err := auth.HashPassword(password)
	if err != nil {
		s.error(w, r, err)
		return
	}
	actor := s.actor(r)
	if err := s.DB.SetUserPassword(r.Context(), actor, u.ID, hash); err != nil {
		s.error(w, r, err)
		return
	}
	s.Log.Info("password changed", "user_id", u.ID, "by", actor.UserID)
	if u.ID == actor.UserID {
		if err := s.keepSignedIn(r, u.ID); err != nil {
			s.error(w, r, err)
			return
		}
	}
	s.flash(r, "The password of "+u.Name+" is changed, and every session they had is signed out.")
	http.Redirect(w, r, "/admin/users", http.StatusSeeOther)
}

// keepSignedIn moves the current session to user id's new session epoch,
// under a new token, after the user changed their own password.
func (s *Server) keepSignedIn(r *http.Request, id int64) error {
	u, err := s.DB.User(r.Context(), id)
	if err != nil {
		return err
	}
	if err := s.Sessions.RenewToken(r.Context()); err != nil {
		return err
	}
	s.Sessions.Put(r.Context(), sessionEpoch, u.SessionEpoch)
	return nil
}

// userFromPath loads the user named by {id}.
func (s *Server) userFromPath(r *http.Request) (*ledger.User, error) {
	id, ok := urlID(r)
	if !ok {
		return nil, ledger.Errorf(ledger.ENOTFOUND, "User not found.")
	}
	return s.DB.User(r.Context(), id)
}
