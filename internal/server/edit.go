package server

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"summitledger/internal/ledger"
	"summitledger/web"
)

// The one edit flow of deals, priorities and organizations: decode the
// form, validate it (internal/ledger holds the rules), store it with the
// version the form was opened at, then answer
//
//   - 303 to the record, with a flash, when it is saved;
//   - 422 with the form as typed and each field's problem;
//   - when someone else saved first, a three-way merge of their edit and
//     this one from the version both started at (read back from its
//     revision): saved directly (303) when no field was changed
//     differently by both, else 409 with the merged form and, for each
//     field both changed, the saved value and the editor's side by side
//     to choose between. The form then carries the new version, so its
//     base is the record as now saved, and saving it as it stands keeps
//     everyone's saved changes.
//
// Each kind of record brings its form, its store calls and its page: a
// recordEditor.

// recordEditor is one kind of record's part in the edit flow: R is the
// domain record (ledger.Deal …), F its form as typed (dealForm …).
type recordEditor[R any, F editForm] interface {
	spec() editSpec
	decode(url.Values) F
	// validate returns the record the form describes and what is wrong with it.
	validate(F) (R, ledger.FieldErrors)
	// formFrom fills the form from a record: to edit it, or a merge.
	formFrom(R) F
	// stamp gives a record read from the form the identity and version of
	// the one edited.
	stamp(rec *R, version int)
	// state is a record's version and whether it is deleted.
	state(*R) (version int, deleted bool)
	create(context.Context, ledger.Actor, *R) error
	update(context.Context, ledger.Actor, *R) error
	// current is the edited record as saved now; atVersion as a create or
	// an update left it at version, ENOTFOUND when no revision says.
	current(context.Context) (*R, error)
	atVersion(context.Context, int) (*R, error)
	// merge is the domain's three-way merge: ledger.MergeDeal …
	merge(base, theirs, mine *R) (R, []string)
	render(http.ResponseWriter, *http.Request, formView[R, F])
	// savedURL is where the saved record is shown.
	savedURL(R) string
}

// editForm is a form as typed, which encodes as a browser posts it.
type editForm interface{ encode() url.Values }

// editSpec is what the flow says of one kind of record.
type editSpec struct {
	noun    string            // "deal"
	rename  map[string]string // the store's field names → the form's (see mergeInvalid)
	parts   []formPart        // the form's fields by the part of the record they edit
	created string            // the flash after a create
	saved   string            // the flash after an edit
	merged  string            // the flash after an edit merged with another
}

// formPart ties a part of a record, as the ledger's merge names it
// ("Title", "Value"; "Organizations" for each "Organizations:12"), to the
// form fields that edit it. A relation's fields are its element's: one
// field for a set (party), an id and its attribute for pairs (org_id,
// org_role).
type formPart struct {
	key    string
	fields []string
}

// formView is what an edit page shows: the form, its problems, the
// conflict, and the record as saved now (nil on a create form).
type formView[R any, F editForm] struct {
	status   int
	form     F
	invalid  ledger.FieldErrors
	conflict *web.Conflict
	current  *R
}

// maxMergeAttempts bounds the merges of one save: each means someone else
// saved the record again while this save was being merged.
const maxMergeAttempts = 3

// createRecord is the flow's create: 303 to the new record, or 422.
func createRecord[R any, F editForm](s *Server, w http.ResponseWriter, r *http.Request, k recordEditor[R, F]) {
	if err := parseForm(w, r); err != nil {
		s.error(w, r, err)
		return
	}
	spec := k.spec()
	form := k.decode(r.PostForm)
	rec, fe := k.validate(form)
	if len(fe.Fields) == 0 {
		if err := mergeInvalid(&fe, k.create(r.Context(), s.actor(r), &rec), spec.rename); err != nil {
			s.error(w, r, err)
			return
		}
	}
	if len(fe.Fields) > 0 {
		k.render(w, r, formView[R, F]{status: http.StatusUnprocessableEntity, form: form, invalid: fe})
		return
	}
	s.flash(r, spec.created)
	http.Redirect(w, r, k.savedURL(rec), http.StatusSeeOther)
}

// updateRecord is the flow's edit of cur: 303 to it when saved, merged
// or not; 422; or 409 with the merge and the choices it needs.
func updateRecord[R any, F editForm](s *Server, w http.ResponseWriter, r *http.Request, k recordEditor[R, F], cur *R) {
	ctx := r.Context()
	if err := parseForm(w, r); err != nil {
		s.error(w, r, err)
		return
	}
	spec := k.spec()
	version, err := formVersion(r, spec.noun)
	if err != nil {
		s.error(w, r, err)
		return
	}
	applyChoices(r.PostForm, spec.parts)
	form := k.decode(r.PostForm)
	mine, fe := k.validate(form)
	k.stamp(&mine, version)
	view := formView[R, F]{status: http.StatusUnprocessableEntity, form: form, invalid: fe, current: cur}
	if len(fe.Fields) > 0 {
		k.render(w, r, view)
		return
	}

	rec, merged := mine, false
	for attempt := 0; ; attempt++ {
		saved := rec
		err := k.update(ctx, s.actor(r), &saved)
		if err == nil {
			msg := spec.saved
			if merged {
				msg = spec.merged
			}
			s.flash(r, msg)
			http.Redirect(w, r, k.savedURL(saved), http.StatusSeeOther)
			return
		}
		if ledger.ErrorCode(err) != ledger.ECONFLICT || attempt == maxMergeAttempts {
			if err := mergeInvalid(&view.invalid, err, spec.rename); err != nil {
				s.error(w, r, err)
				return
			}
			if merged { // the merge broke a rule: show it, merged, at its version
				view.form = k.formFrom(rec)
			}
			k.render(w, r, view)
			return
		}
		msg := ledger.ErrorMessage(err)
		theirs, err := k.current(ctx)
		if err != nil {
			s.error(w, r, err)
			return
		}
		view.current = theirs
		now, deleted := k.state(theirs)
		if deleted {
			view.status, view.conflict = http.StatusConflict, &web.Conflict{Message: msg, Deleted: true}
			k.render(w, r, view)
			return
		}
		if now == version { // not someone else's save: a rule the store enforces
			s.error(w, r, err)
			return
		}
		base, err := k.atVersion(ctx, version)
		if ledger.ErrorCode(err) == ledger.ENOTFOUND {
			base = nil // no revision says what the form started from: every difference is a choice
		} else if err != nil {
			s.error(w, r, err)
			return
		}
		m, conflicts := k.merge(base, theirs, &mine)
		view.conflict, err = conflictView(ctx, s, msg, base, theirs, &mine, conflicts, spec, k.formFrom(mine).encode())
		if err != nil {
			s.error(w, r, err)
			return
		}
		if len(conflicts) > 0 {
			view.status, view.form = http.StatusConflict, k.formFrom(m)
			k.render(w, r, view)
			return
		}
		rec, merged = m, true
	}
}

// applyChoices puts back into a form sent from the conflict page the
// editor's own value of each part where the editor chose it over the
// saved one ("choose.{part}" is "yours"); the form holds the saved value
// of the others. The editor's values travel as "yours.{field}", or
// "yours.{part}:{element}" for one element of a relation.
func applyChoices(form url.Values, parts []formPart) {
	var keys []string
	for name, v := range form {
		if key, ok := strings.CutPrefix(name, "choose."); ok && slices.Contains(v, "yours") {
			keys = append(keys, key)
		}
	}
	slices.Sort(keys) // one order, whatever the map's
	for _, key := range keys {
		name, elem, isElem := strings.Cut(key, ":")
		i := slices.IndexFunc(parts, func(p formPart) bool { return p.key == name })
		if i < 0 {
			continue
		}
		fields := parts[i].fields
		yours := form.Get("yours." + key)
		switch {
		case !isElem:
			for _, f := range fields {
				form[f] = form["yours."+f]
			}
		case len(fields) == 1: // a set: the element is in it or not
			form[fields[0]] = slices.DeleteFunc(slices.Clone(form[fields[0]]), func(v string) bool { return v == elem })
			if yours != "" {
				form.Add(fields[0], elem)
			}
		default: // pairs: the element's id and its attribute (org_id, org_role)
			ids, attrs := form[fields[0]], form[fields[1]]
			var keepIDs, keepAttrs []string
			for j := range max(len(ids), len(attrs)) {
				id, attr := at(ids, j), at(attrs, j)
				if id != elem {
					keepIDs, keepAttrs = append(keepIDs, id), append(keepAttrs, attr)
				}
			}
			if yours != "" {
				keepIDs, keepAttrs = append(keepIDs, elem), append(keepAttrs, yours)
			}
			form[fields[0]], form[fields[1]] = keepIDs, keepAttrs
		}
	}
}

func at(list []string, i int) string {
	if i < len(list) {
		return list[i]
	}
	return ""
}
