package server

import (
	"context"
	"net/http"
	"net/url"

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

// priorityEditor is the priority's part in the edit flow (edit.go).
type priorityEditor struct {
	s       *Server
	id      int64 // 0 on the form to add a priority
	country *ledger.Country
	admin   bool
}

// prioritySpec ties the priority form's fields to the parts
// ledger.MergePriority merges.
var prioritySpec = editSpec{
	noun: "priority",
	parts: []formPart{
		{"Title", []string{"title"}}, {"Slug", []string{"slug"}}, {"Description", []string{"description"}},
		{"Sector", []string{"sector"}}, {"Source", []string{"source_url", "source_title", "source_publisher"}},
	},
	created: "Priority added.",
	saved:   "Priority saved.",
	merged:  "Priority saved, merged with the changes another editor saved while you were editing.",
}

func (k *priorityEditor) spec() editSpec                          { return prioritySpec }
func (k *priorityEditor) decode(v url.Values) priorityForm        { return decodePriorityForm(v) }
func (k *priorityEditor) formFrom(p ledger.Priority) priorityForm { return priorityFormFrom(p) }
func (k *priorityEditor) stamp(p *ledger.Priority, version int)   { p.ID, p.Version = k.id, version }
func (k *priorityEditor) state(p *ledger.Priority) (int, bool)    { return p.Version, p.Deleted() }
func (k *priorityEditor) savedURL(p ledger.Priority) string {
	return countryHref(k.country) + "#priority-" + p.Slug
}

func (k *priorityEditor) validate(f priorityForm) (ledger.Priority, ledger.FieldErrors) {
	return f.validate(k.country.Code)
}

func (k *priorityEditor) create(ctx context.Context, a ledger.Actor, p *ledger.Priority) error {
	return k.s.DB.CreatePriority(ctx, a, p)
}

func (k *priorityEditor) update(ctx context.Context, a ledger.Actor, p *ledger.Priority) error {
	return k.s.DB.UpdatePriority(ctx, a, p)
}

func (k *priorityEditor) current(ctx context.Context) (*ledger.Priority, error) {
	return k.s.DB.PriorityByID(ctx, k.id)
}

func (k *priorityEditor) atVersion(ctx context.Context, version int) (*ledger.Priority, error) {
	return k.s.DB.PriorityAtVersion(ctx, k.id, version)
}

func (k *priorityEditor) merge(base, theirs, mine *ledger.Priority) (ledger.Priority, []string) {
	return ledger.MergePriority(base, theirs, mine)
}

func (k *priorityEditor) render(w http.ResponseWriter, r *http.Request, v formView[ledger.Priority, priorityForm]) {
	c := k.country
	page := web.PriorityFormView{Heading: "New priority of " + c.Name, Action: countryHref(c) + "/priorities",
		CancelURL: countryHref(c), Country: c.Name}
	if p := v.current; p != nil {
		page = web.PriorityFormView{Heading: "Edit a priority of " + c.Name, Action: "/priorities/" + formatID(p.ID) + "/edit",
			CancelURL: countryHref(c), Country: c.Name, Editing: true, Deleted: p.Deleted()}
		if k.admin {
			page.DeleteURL = "/priorities/" + formatID(p.ID) + "/delete"
			if p.Deleted() {
				page.DeleteURL = "/priorities/" + formatID(p.ID) + "/restore"
			}
		}
	}
	page.Sectors, page.Values, page.Conflict = sectorOptions(), v.form.PriorityValues, v.conflict
	page.Errors = viewErrors(v.invalid, priorityFields, nil)
	title := page.Heading
	if len(page.Errors) > 0 {
		title = "Error: " + title
	}
	k.s.render(w, r, v.status, web.PriorityForm(k.s.page(r, title), page))
}

// priorityNew shows the form to add a priority to a country.
func (s *Server) priorityNew(w http.ResponseWriter, r *http.Request) {
	c, err := s.DB.CountryBySlug(r.Context(), chi.URLParam(r, "slug"))
	if err != nil {
		s.error(w, r, err)
		return
	}
	k := &priorityEditor{s: s, country: c, admin: s.isAdmin(r)}
	k.render(w, r, formView[ledger.Priority, priorityForm]{status: http.StatusOK})
}

// priorityCreate adds a priority to a country.
func (s *Server) priorityCreate(w http.ResponseWriter, r *http.Request) {
	c, err := s.DB.CountryBySlug(r.Context(), chi.URLParam(r, "slug"))
	if err != nil {
		s.error(w, r, err)
		return
	}
	createRecord(s, w, r, &priorityEditor{s: s, country: c, admin: s.isAdmin(r)})
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
	k := &priorityEditor{s: s, id: p.ID, country: c, admin: s.isAdmin(r)}
	k.render(w, r, formView[ledger.Priority, priorityForm]{status: http.StatusOK, form: priorityFormFrom(*p), current: p})
}

// priorityUpdate saves an edit through the edit flow, as for deals.
func (s *Server) priorityUpdate(w http.ResponseWriter, r *http.Request) {
	p, c, err := s.priorityFromPath(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	updateRecord(s, w, r, &priorityEditor{s: s, id: p.ID, country: c, admin: s.isAdmin(r)}, p)
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
