package server

import (
	"context"
	"net/http"
	"strconv"

	"github.com/go-chi/chi/v5"

	"summitledger/internal/ledger"
	"summitledger/web"
)

func sectorOptions() []web.Option {
	var out []web.Option
	for _, x := range ledger.Sectors() {
		out = append(out, web.Option{Value: string(x.Key), Label: x.Label})
	}
	return out
}

func countryHref(c *ledger.Country) string { return "/countries/" + c.Slug }

func (s *Server) renderPriorityForm(w http.ResponseWriter, r *http.Request, status int, v web.PriorityFormView) {
	v.Sectors = sectorOptions()
	title := v.Heading
	if len(v.Errors) > 0 {
		title = "Error: " + title
	}
	s.render(w, r, status, web.PriorityForm(s.page(r, title), v))
}

func newPriorityView(c *ledger.Country) web.PriorityFormView {
	return web.PriorityFormView{Heading: "New priority of " + c.Name, Action: countryHref(c) + "/priorities",
		CancelURL: countryHref(c), Country: c.Name}
}

// priorityNew shows the form to add a priority to a country.
func (s *Server) priorityNew(w http.ResponseWriter, r *http.Request) {
	c, err := s.DB.CountryBySlug(r.Context(), chi.URLParam(r, "slug"))
	if err != nil {
		s.error(w, r, err)
		return
	}
	s.renderPriorityForm(w, r, http.StatusOK, newPriorityView(c))
}

// priorityCreate adds a priority to a country.
func (s *Server) priorityCreate(w http.ResponseWriter, r *http.Request) {
	c, err := s.DB.CountryBySlug(r.Context(), chi.URLParam(r, "slug"))
	if err != nil {
		s.error(w, r, err)
		return
	}
	if err := parseForm(w, r); err != nil {
		s.error(w, r, err)
		return
	}
	form := decodePriorityForm(r.PostForm)
	p, fe := form.validate(c.Code)
	if len(fe.Fields) == 0 {
		if err := mergeInvalid(&fe, s.DB.CreatePriority(r.Context(), s.actor(r), &p), nil); err != nil {
			s.error(w, r, err)
			return
		}
	}
	if len(fe.Fields) > 0 {
		v := newPriorityView(c)
		v.Values, v.Errors = form.PriorityValues, viewErrors(fe, priorityFields, nil)
		s.renderPriorityForm(w, r, http.StatusUnprocessableEntity, v)
		return
	}
	s.flash(r, "Priority added.")
	http.Redirect(w, r, countryHref(c)+"#priority-"+p.Slug, http.StatusSeeOther)
}

// priorityFromPath loads the priority named by {id} and its country.
func (s *Server) priorityFromPath(r *http.Request) (*ledger.Priority, *ledger.Country, error) {
	id, ok := urlID(r)
	if !ok {
		return nil, nil, ledger.Errorf(ledger.ENOTFOUND, "There is no such priority.")
	}
	p, err := s.DB.PriorityByID(r.Context(), id)
	if err != nil {
		return nil, nil, err
	}
	countries, err := s.DB.Countries(r.Context())
	if err != nil {
		return nil, nil, err
	}
	for _, c := range countries {
		if c.Code == p.CountryCode {
			return p, &c, nil
		}
	}
	return nil, nil, ledger.Errorf(ledger.ENOTFOUND, "The priority's country is missing.")
}

func (s *Server) editPriorityView(r *http.Request, p *ledger.Priority, c *ledger.Country) web.PriorityFormView {
	v := web.PriorityFormView{Heading: "Edit a priority of " + c.Name, Action: "/priorities/" + formatID(p.ID) + "/edit",
		CancelURL: countryHref(c), Country: c.Name, Editing: true, Deleted: p.Deleted()}
	if s.isAdmin(r) {
		v.DeleteURL = "/priorities/" + formatID(p.ID) + "/delete"
		if p.Deleted() {
			v.DeleteURL = "/priorities/" + formatID(p.ID) + "/restore"
		}
	}
	return v
}

// priorityEdit shows the form to edit a priority, with its current version.
func (s *Server) priorityEdit(w http.ResponseWriter, r *http.Request) {
	p, c, err := s.priorityFromPath(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	if p.Deleted() && !s.isAdmin(r) {
		s.error(w, r, ledger.Errorf(ledger.ENOTFOUND, "This priority was deleted; an admin can restore it."))
		return
	}
	v := s.editPriorityView(r, p, c)
	v.Values = priorityFormFrom(*p).PriorityValues
	s.renderPriorityForm(w, r, http.StatusOK, v)
}

// priorityUpdate saves an edit; a stale version answers 409 with what
// changed and the editor's input kept, as for deals.
func (s *Server) priorityUpdate(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	p0, c, err := s.priorityFromPath(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	if err := parseForm(w, r); err != nil {
		s.error(w, r, err)
		return
	}
	version, err := formVersion(r, "priority")
	if err != nil {
		s.error(w, r, err)
		return
	}
	form := decodePriorityForm(r.PostForm)
	p, fe := form.validate(c.Code)
	p.ID, p.Version = p0.ID, version
	v := s.editPriorityView(r, p0, c)
	v.Values = form.PriorityValues
	if len(fe.Fields) == 0 {
		err := s.DB.UpdatePriority(ctx, s.actor(r), &p)
		switch {
		case err == nil:
			s.flash(r, "Priority saved.")
			http.Redirect(w, r, countryHref(c)+"#priority-"+p.Slug, http.StatusSeeOther)
			return
		case ledger.ErrorCode(err) == ledger.ECONFLICT:
			v.Conflict, err = s.priorityConflict(ctx, p0.ID, version, ledger.ErrorMessage(err))
			if err != nil {
				s.error(w, r, err)
				return
			}
			cur, err := s.DB.PriorityByID(ctx, p0.ID)
			if err != nil {
				s.error(w, r, err)
				return
			}
			v.Values.Version = strconv.Itoa(cur.Version)
			s.renderPriorityForm(w, r, http.StatusConflict, v)
			return
		}
		if err := mergeInvalid(&fe, err, nil); err != nil {
			s.error(w, r, err)
			return
		}
	}
	v.Errors = viewErrors(fe, priorityFields, nil)
	s.renderPriorityForm(w, r, http.StatusUnprocessableEntity, v)
}

func (s *Server) priorityConflict(ctx context.Context, id int64, version int, msg string) (*web.Conflict, error) {
	cur, err := s.DB.PriorityByID(ctx, id)
	if err != nil {
		return nil, err
	}
	c := &web.Conflict{Message: msg, Deleted: cur.Deleted()}
	was, err := s.DB.PriorityAtVersion(ctx, id, version)
	if ledger.ErrorCode(err) == ledger.ENOTFOUND {
		return c, nil
	} else if err != nil {
		return nil, err
	}
	names, err := s.DB.LookupNames(ctx, nameIDs())
	if err != nil {
		return nil, err
	}
	c.Changes = diffRecords(mustJSON(was), mustJSON(cur), names)
	return c, nil
}

// priorityReason shows (GET) or applies (POST) a priority's delete or restore.
func (s *Server) priorityReason(deleting bool) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		p, c, err := s.priorityFromPath(r)
		if err != nil {
			s.error(w, r, err)
			return
		}
		act := reasonAction{heading: "Delete a priority", button: "Delete the priority", danger: true,
			intro: "A deleted priority leaves its country's page; deals that advanced it keep the link in their history. An admin can restore it.",
			done:  "Priority deleted."}
		path := "delete"
		if !deleting {
			act = reasonAction{heading: "Restore a priority", button: "Restore the priority",
				intro: "The priority comes back to its country's page.", done: "Priority restored."}
			path = "restore"
		}
		action := "/priorities/" + formatID(p.ID) + "/" + path
		if r.Method == http.MethodGet {
			if err := reasonFormConflict("priority", path, p.Deleted()); err != nil {
				s.error(w, r, err)
				return
			}
			s.renderReasonForm(w, r, http.StatusOK, act, p.Title, action, countryHref(c), "", nil)
			return
		}
		if err := parseForm(w, r); err != nil {
			s.error(w, r, err)
			return
		}
		reason := cleanText(r.PostForm.Get("reason"))
		var fe ledger.FieldErrors
		checkText(&fe, "reason", reason, ledger.MaxReasonLength)
		if len(fe.Fields) == 0 {
			apply := s.DB.RestorePriority
			if deleting {
				apply = s.DB.DeletePriority
			}
			if err := mergeInvalid(&fe, apply(r.Context(), s.actor(r), p.ID, reason), nil); err != nil {
				s.error(w, r, err)
				return
			}
		}
		if len(fe.Fields) > 0 {
			s.renderReasonForm(w, r, http.StatusUnprocessableEntity, act, p.Title, action, countryHref(c),
				r.PostForm.Get("reason"), viewErrors(fe, []string{"reason"}, nil))
			return
		}
		s.flash(r, act.done)
		http.Redirect(w, r, countryHref(c), http.StatusSeeOther)
	}
}
