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

// correctionBase loads the update named by {id} and its deal: the update
// a correction form was opened for, corrected since or not.
func (s *Server) correctionBase(r *http.Request) (*ledger.StatusUpdate, *ledger.Deal, error) {
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
	return u, d, nil
}

// correctionTarget is correctionBase refusing an update already
// corrected: a correction form opens on the latest word.
func (s *Server) correctionTarget(r *http.Request) (*ledger.StatusUpdate, *ledger.Deal, error) {
	u, d, err := s.correctionBase(r)
	if err != nil {
		return nil, nil, err
	}
	if c, err := s.DB.CorrectionOf(r.Context(), u.ID); err == nil {
		return nil, nil, ledger.Errorf(ledger.ECONFLICT, "Update #%d was already corrected by update #%d; correct that one instead.", u.ID, c.ID)
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

// correctionParts ties the parts MergeUpdate names to the form's fields.
// OccurredPrecision is chosen with OccurredOn; it is listed so that the
// conflict page shows it among the changes made meanwhile.
var correctionParts = []formPart{
	{key: "Stage", fields: []string{"stage"}},
	{key: "OccurredOn", fields: []string{"occurred_on", "occurred_precision"}},
	{key: "OccurredPrecision"},
	{key: "Note", fields: []string{"note"}},
	{key: "Sources", fields: []string{"source_url", "source_title", "source_publisher", "source_published_on", "source_language"}},
}

// updateCorrect saves a correction: a new update pointing at the original,
// which stays on the timeline; the deal's stage is derived again.
//
// The form was opened for the update in the URL (the base). When someone
// else corrected it while this correction was typed, the two are merged
// three ways, base to the newest correction (theirs) and to the form
// (mine), as the edit flow merges a deal: saved at once as a correction of
// the newest when no field was changed differently by both, else 409 with
// the merged form, now correcting the newest, and each field both changed
// to choose (the saved value chosen).
func (s *Server) updateCorrect(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	base, d, err := s.correctionBase(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	if err := parseForm(w, r); err != nil {
		s.error(w, r, err)
		return
	}
	applyChoices(r.PostForm, correctionParts)
	form := decodeUpdateForm(r.PostForm)
	mine, fe := form.validate(today(), true)
	mine.DealID, mine.CorrectsID = d.ID, base.ID
	target, rec, merged := base, mine, false
	for attempt := 0; len(fe.Fields) == 0; attempt++ {
		theirs, err := s.newestCorrection(ctx, base)
		if err != nil {
			s.error(w, r, err)
			return
		}
		if theirs.ID != base.ID {
			m, conflicts := ledger.MergeUpdate(base, theirs, &mine)
			target, rec, merged = theirs, m, true
			if len(conflicts) > 0 || m.SaysSame(theirs) { // a choice to make, or nothing new to say
				s.correctionConflict(w, r, base, theirs, &mine, d, m, conflicts)
				return
			}
		}
		saved := rec
		err = mergeInvalid(&fe, s.DB.AddUpdate(ctx, s.actor(r), &saved), nil)
		if ledger.ErrorCode(err) == ledger.ECONFLICT && attempt < maxMergeAttempts {
			continue // corrected by someone else since: merge with that
		}
		if err != nil {
			s.error(w, r, err)
			return
		}
		if len(fe.Fields) > 0 {
			break
		}
		msg := web.CorrectionSaved(target.ID, s.dealAfterWrite(r, d.ID))
		if merged {
			msg = "Correction merged with the correction another editor saved while you were typing. " + msg
		}
		s.flash(r, msg)
		http.Redirect(w, r, web.DealHref(d.ID, d.Slug), http.StatusSeeOther)
		return
	}
	values := form.UpdateValues
	if merged { // the merge broke a rule: show it, merged, correcting the newest
		values = updateFormFrom(rec).UpdateValues
	}
	v := correctionView(target, d, values)
	v.Errors = viewErrors(fe, updateFields, nil)
	s.renderUpdateForm(w, r, http.StatusUnprocessableEntity, v)
}

// correctionConflict answers a correction whose merge with the newest
// correction (theirs) needs choices, or adds nothing to theirs (the same
// correction sent twice): 409 with the merged form, now
// correcting theirs, the editor's reason kept, what theirs changed, and
// each field both changed side by side, so that saving the page as it
// stands reverts nobody.
func (s *Server) correctionConflict(w http.ResponseWriter, r *http.Request, base, theirs, mine *ledger.StatusUpdate, d *ledger.Deal,
	merged ledger.StatusUpdate, conflicts []string) {
	msg := fmt.Sprintf("Update #%d was corrected meanwhile; the latest word on it is update #%d. "+
		"Your correction now corrects update #%d, shown below.", base.ID, theirs.ID, theirs.ID)
	if len(conflicts) == 0 {
		msg = fmt.Sprintf("Update #%d was corrected meanwhile by update #%d, which already says what your correction says: "+
			"nothing was saved. Save below only to correct update #%d again.", base.ID, theirs.ID, theirs.ID)
	}
	c, err := conflictView(r.Context(), s, msg, base, theirs, mine, conflicts, editSpec{parts: correctionParts},
		updateFormFrom(*mine).encode())
	if err != nil {
		s.error(w, r, err)
		return
	}
	v := correctionView(theirs, d, updateFormFrom(merged).UpdateValues)
	v.Conflict = c
	s.renderUpdateForm(w, r, http.StatusConflict, v)
}
