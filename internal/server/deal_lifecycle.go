package server

import (
	"net/http"

	"summitledger/internal/ledger"
	"summitledger/web"
)

// dealVerify records "checked, no change": today becomes the deal's last
// verified date, with a revision, and the stage stays where it is.
func (s *Server) dealVerify(w http.ResponseWriter, r *http.Request) {
	d, err := s.liveDeal(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	if _, err := s.DB.VerifyDeal(r.Context(), s.actor(r), d.ID, today()); err != nil {
		s.error(w, r, err)
		return
	}
	s.flash(r, "Recorded that the deal was checked today and nothing had changed.")
	http.Redirect(w, r, web.DealHref(d.ID, d.Slug), http.StatusSeeOther)
}

// reasonAction is a delete or a restore as its confirmation page shows it.
type reasonAction struct {
	heading, intro, button, done string
	danger                       bool
	apply                        func(r *http.Request, id int64, reason string) error
}

func (s *Server) dealDeleteAction() reasonAction {
	return reasonAction{
		heading: "Delete a deal",
		intro:   "A deleted deal leaves every public list, total and chart; its page tells readers it was removed and why, and its history stays public. An admin can restore it.",
		button:  "Delete the deal", done: "Deal deleted. Readers see that it was removed; it can be restored.", danger: true,
		apply: func(r *http.Request, id int64, reason string) error {
			return s.DB.DeleteDeal(r.Context(), s.actor(r), id, reason)
		},
	}
}

func (s *Server) dealRestoreAction() reasonAction {
	return reasonAction{
		heading: "Restore a deal",
		intro:   "The deal comes back to the public lists and totals as it was before it was deleted.",
		button:  "Restore the deal", done: "Deal restored.",
		apply: func(r *http.Request, id int64, reason string) error {
			return s.DB.RestoreDeal(r.Context(), s.actor(r), id, reason)
		},
	}
}

// dealReasonForm shows the confirmation of a delete or restore.
func (s *Server) dealReasonForm(a func() reasonAction, path string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		d, err := s.dealFromPath(r)
		if err != nil {
			s.error(w, r, err)
			return
		}
		if err := reasonFormConflict("deal", path, d.Deleted()); err != nil {
			s.error(w, r, err)
			return
		}
		s.renderReasonForm(w, r, http.StatusOK, a(), d.Title, "/deals/"+formatID(d.ID)+"/"+path, web.DealHref(d.ID, d.Slug), "", nil)
	}
}

// reasonFormConflict refuses to open the form to delete a record already
// deleted, or to restore one that is not, before a reason is typed for
// nothing (the store refuses the form when sent, too).
func reasonFormConflict(record, path string, deleted bool) error {
	switch {
	case path == "delete" && deleted:
		return ledger.Errorf(ledger.ECONFLICT, "This %s is already deleted.", record)
	case path == "restore" && !deleted:
		return ledger.Errorf(ledger.ECONFLICT, "This %s is not deleted, so there is nothing to restore.", record)
	}
	return nil
}

// dealReasonSubmit deletes or restores a deal; a missing reason answers 422.
func (s *Server) dealReasonSubmit(a func() reasonAction, path string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		d, err := s.dealFromPath(r)
		if err != nil {
			s.error(w, r, err)
			return
		}
		if err := parseForm(w, r); err != nil {
			s.error(w, r, err)
			return
		}
		act := a()
		reason := cleanText(r.PostForm.Get("reason"))
		var fe ledger.FieldErrors
		checkText(&fe, "reason", reason, ledger.MaxReasonLength)
		if len(fe.Fields) == 0 {
			if err := mergeInvalid(&fe, act.apply(r, d.ID, reason), nil); err != nil {
				s.error(w, r, err)
				return
			}
		}
		if len(fe.Fields) > 0 {
			s.renderReasonForm(w, r, http.StatusUnprocessableEntity, act, d.Title, "/deals/"+formatID(d.ID)+"/"+path,
				web.DealHref(d.ID, d.Slug), r.PostForm.Get("reason"), viewErrors(fe, []string{"reason"}, nil))
			return
		}
		s.flash(r, act.done)
		http.Redirect(w, r, web.DealHref(d.ID, d.Slug), http.StatusSeeOther)
	}
}

func (s *Server) renderReasonForm(w http.ResponseWriter, r *http.Request, status int, a reasonAction, subject, action, cancel, reason string, errs web.FormErrors) {
	title := a.heading
	if len(errs) > 0 {
		title = "Error: " + title
	}
	s.render(w, r, status, web.ReasonForm(s.page(r, title), web.ReasonFormView{
		Heading: a.heading + ": \u201c" + subject + "\u201d", Intro: a.intro, Action: action, Button: a.button,
		CancelURL: cancel, Reason: reason, Danger: a.danger, Errors: errs,
	}))
}

// dealFromPath loads the deal named by {id}, deleted or not.
func (s *Server) dealFromPath(r *http.Request) (*ledger.Deal, error) {
	id, ok := urlID(r)
	if !ok {
		return nil, ledger.Errorf(ledger.ENOTFOUND, "There is no such deal.")
	}
	return s.DB.DealByID(r.Context(), id)
}
