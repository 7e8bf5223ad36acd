package server

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"summitledger/internal/ledger"
	"summitledger/web"
)

// today is the day the server takes as today: dates after it are refused
// and verifications record it.
func today() time.Time { return time.Now().UTC().Truncate(24 * time.Hour) }

// liveDeal loads the deal named by the {id} in the path for editing; a
// deleted deal is not found, since it must be restored before it is edited.
func (s *Server) liveDeal(r *http.Request) (*ledger.Deal, error) {
	id, ok := urlID(r)
	if !ok {
		return nil, ledger.Errorf(ledger.ENOTFOUND, "There is no such deal.")
	}
	d, err := s.DB.DealByID(r.Context(), id)
	if err != nil {
		return nil, err
	}
	if d.Deleted() {
		return nil, ledger.Errorf(ledger.ENOTFOUND, "This deal was deleted; an admin can restore it before it is edited.")
	}
	return d, nil
}

func stageOptions() []web.Option {
	var out []web.Option
	for _, st := range ledger.Stages() {
		out = append(out, web.Option{Value: string(st.Key), Label: st.Label + " \u2014 " + st.Definition})
	}
	return out
}

// renderUpdateForm shows the update (or correction) form with status,
// titled as an error when the form has errors.
func (s *Server) renderUpdateForm(w http.ResponseWriter, r *http.Request, status int, v web.UpdateFormView) {
	v.Stages = stageOptions()
	title := v.Heading
	if len(v.Errors) > 0 {
		title = "Error: " + title
	}
	s.render(w, r, status, web.UpdateForm(s.page(r, title), v))
}

// updateNew shows the form to log a status update on a deal.
func (s *Server) updateNew(w http.ResponseWriter, r *http.Request) {
	d, err := s.liveDeal(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	s.renderUpdateForm(w, r, http.StatusOK, web.UpdateFormView{
		Heading: "Log a status update", Action: "/deals/" + formatID(d.ID) + "/updates",
		DealTitle: d.Title, DealURL: web.DealHref(d.ID, d.Slug),
		Values: web.UpdateValues{Stage: string(d.Stage), OccurredOn: formatDay(today())},
	})
}

// updateCreate logs a status update: the deal's stage is derived again in
// the same transaction, and the editor lands back on the deal page, told
// where the deal stands now (an older update leaves the stage as it was).
func (s *Server) updateCreate(w http.ResponseWriter, r *http.Request) {
	d, err := s.liveDeal(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	if err := parseForm(w, r); err != nil {
		s.error(w, r, err)
		return
	}
	form := decodeUpdateForm(r.PostForm)
	form.CorrectionReason = ""
	u, fe := form.validate(today(), false)
	if len(fe.Fields) == 0 {
		u.DealID = d.ID
		err = mergeInvalid(&fe, s.DB.AddUpdate(r.Context(), s.actor(r), &u), nil)
	}
	if err != nil {
		s.error(w, r, err)
		return
	}
	if len(fe.Fields) > 0 {
		s.renderUpdateForm(w, r, http.StatusUnprocessableEntity, web.UpdateFormView{
			Heading: "Log a status update", Action: "/deals/" + formatID(d.ID) + "/updates",
			DealTitle: d.Title, DealURL: web.DealHref(d.ID, d.Slug),
			Values: form.UpdateValues, Errors: viewErrors(fe, updateFields, nil),
		})
		return
	}
	s.flash(r, web.UpdateLogged(u.Stage, s.dealAfterWrite(r, d.ID)))
	http.Redirect(w, r, web.DealHref(d.ID, d.Slug), http.StatusSeeOther)
}

// dealAfterWrite reads deal id after a saved update, to tell the editor
// where it stands; nil when the read fails, which is logged: the update is
// saved, so an error page would invite saving it twice.
func (s *Server) dealAfterWrite(r *http.Request, id int64) *ledger.Deal {
	d, err := s.DB.DealByID(r.Context(), id)
	if err != nil {
		s.Log.Warn("read deal after a saved update", "deal_id", id, "err", err)
		return nil
	}
	return d
}

// correctionTarget loads the update named by {id} and its deal, refusing
// an update already corrected: a correction corrects the latest word.
func (s *Server) correctionTarget(r *http.Request) (*ledger.StatusUpdate, *ledger.Deal, error) {
	id, ok := urlID(r)
	if !ok {
		return nil, nil, ledger.Errorf(ledger.ENOTFOUND, "There is no such status update.")
	}
	u, err := s.DB.UpdateByID(r.Context(), id)
	if err != nil {
		return nil, nil, err
	}
	d, err := s.DB.DealByID(r.Context(), u.DealID)
	if err != nil {
		return nil, nil, err
	}
	if d.Deleted() {
		return nil, nil, ledger.Errorf(ledger.ENOTFOUND, "This update's deal was deleted; an admin can restore it.")
	}
	if c, err := s.DB.CorrectionOf(r.Context(), id); err == nil {
		return nil, nil, ledger.Errorf(ledger.ECONFLICT, "Update #%d was already corrected by update #%d; correct that one instead.", id, c.ID)
	} else if ledger.ErrorCode(err) != ledger.ENOTFOUND {
		return nil, nil, err
	}
	return u, d, nil
}

// sourceLines shows each source as one line of text: title, publisher, address.
func sourceLines(srcs []ledger.Source) []string {
	out := make([]string, len(srcs))
	for i, s := range srcs {
		out[i] = s.Title + ", " + s.Publisher + " (" + s.URL + ")"
	}
	return out
}

func correctionView(u *ledger.StatusUpdate, d *ledger.Deal, values web.UpdateValues) web.UpdateFormView {
	return web.UpdateFormView{
		Heading: "Correct a status update", Action: "/updates/" + formatID(u.ID) + "/correct",
		DealTitle: d.Title, DealURL: web.DealHref(d.ID, d.Slug), Values: values,
		Correcting: &web.CorrectedUpdate{ID: u.ID, Stage: u.Stage.Label(), OccurredOn: formatDay(u.OccurredOn),
			Note: u.Note, Sources: sourceLines(u.Sources)},
	}
}

// updateCorrectForm shows the correction form, filled with the original
// update but for the reason: correcting a correction needs a reason of its
// own, not a copy of the one before.
func (s *Server) updateCorrectForm(w http.ResponseWriter, r *http.Request) {
	u, d, err := s.correctionTarget(r)
	if ledger.ErrorCode(err) == ledger.ECONFLICT {
		s.correctionTaken(w, r)
		return
	}
	if err != nil {
		s.error(w, r, err)
		return
	}
	values := updateFormFrom(*u).UpdateValues
	values.CorrectionReason = ""
	s.renderUpdateForm(w, r, http.StatusOK, correctionView(u, d, values))
}

// correctionConflict answers a correction of an update that someone else
// corrected while it was typed: 409 with the form again, every typed value
// kept, now correcting the newest correction, so that nothing is lost and
// saving again is a deliberate choice.
func (s *Server) correctionConflict(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	if err := parseForm(w, r); err != nil {
		s.error(w, r, err)
		return
	}
	id, _ := urlID(r)
	u, err := s.DB.UpdateByID(ctx, id)
	if err != nil {
		s.error(w, r, err)
		return
	}
	latest, err := s.newestCorrection(ctx, u)
	if err != nil {
		s.error(w, r, err)
		return
	}
	d, err := s.DB.DealByID(ctx, latest.DealID)
	if err != nil {
		s.error(w, r, err)
		return
	}
	v := correctionView(latest, d, decodeUpdateForm(r.PostForm).UpdateValues)
	v.Conflict = &web.Conflict{Message: fmt.Sprintf("Update #%d was corrected meanwhile; the latest word on it is update #%d. "+
		"Your correction now corrects update #%d, shown below.", id, latest.ID, latest.ID)}
	s.renderUpdateForm(w, r, http.StatusConflict, v)
}

// newestCorrection follows the corrections of u to the newest, the update
// that now speaks for it: u itself when nothing corrects it.
func (s *Server) newestCorrection(ctx context.Context, u *ledger.StatusUpdate) (*ledger.StatusUpdate, error) {
	for {
		c, err := s.DB.CorrectionOf(ctx, u.ID)
		if ledger.ErrorCode(err) == ledger.ENOTFOUND {
			return u, nil
		}
		if err != nil {
			return nil, err
		}
		u = c
	}
}

// correctionTaken answers the correction page of an update that is already
// corrected: 409 with a link to its correction and one to correct the
// newest word on it instead, rather than a dead end.
func (s *Server) correctionTaken(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	id, _ := urlID(r)
	c, err := s.DB.CorrectionOf(ctx, id)
	if err != nil {
		s.error(w, r, err)
		return
	}
	latest, err := s.newestCorrection(ctx, c)
	if err != nil {
		s.error(w, r, err)
		return
	}
	d, err := s.DB.DealByID(ctx, c.DealID)
	if err != nil {
		s.error(w, r, err)
		return
	}
	dealURL := web.DealHref(d.ID, d.Slug)
	s.render(w, r, http.StatusConflict, web.CorrectionTaken(s.page(r, fmt.Sprintf("Update #%d was already corrected", id)), web.CorrectionTakenView{
		ID: id, CorrectionID: c.ID, CorrectionURL: dealURL + "#update-" + formatID(c.ID),
		LatestID: latest.ID, LatestURL: dealURL + "#update-" + formatID(latest.ID),
		CorrectLatestURL: "/updates/" + formatID(latest.ID) + "/correct",
		DealTitle:        d.Title, DealURL: dealURL,
	}))
}

// updateCorrect saves a correction: a new update pointing at the original,
// which stays on the timeline; the deal's stage is derived again.
func (s *Server) updateCorrect(w http.ResponseWriter, r *http.Request) {
	orig, d, err := s.correctionTarget(r)
	if ledger.ErrorCode(err) == ledger.ECONFLICT {
		s.correctionConflict(w, r)
		return
	}
	if err != nil {
		s.error(w, r, err)
		return
	}
	if err := parseForm(w, r); err != nil {
		s.error(w, r, err)
		return
	}
	form := decodeUpdateForm(r.PostForm)
	u, fe := form.validate(today(), true)
	if len(fe.Fields) == 0 {
		u.DealID, u.CorrectsID = d.ID, orig.ID
		err = mergeInvalid(&fe, s.DB.AddUpdate(r.Context(), s.actor(r), &u), nil)
	}
	if ledger.ErrorCode(err) == ledger.ECONFLICT { // corrected by someone else since the check above
		s.correctionConflict(w, r)
		return
	}
	if err != nil {
		s.error(w, r, err)
		return
	}
	if len(fe.Fields) > 0 {
		v := correctionView(orig, d, form.UpdateValues)
		v.Errors = viewErrors(fe, updateFields, nil)
		s.renderUpdateForm(w, r, http.StatusUnprocessableEntity, v)
		return
	}
	s.flash(r, web.CorrectionSaved(orig.ID, s.dealAfterWrite(r, d.ID)))
	http.Redirect(w, r, web.DealHref(d.ID, d.Slug), http.StatusSeeOther)
}
