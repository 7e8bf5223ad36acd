package server

import (
	"net/http"
	"strconv"

	"summitledger/internal/ledger"
	"summitledger/internal/postgres"
	"summitledger/web"
)

// dealHistory shows every revision of a deal and of its status updates,
// newest first, each field before and after. It is public, for deleted
// deals too: nothing is deleted for good.
func (s *Server) dealHistory(w http.ResponseWriter, r *http.Request) {
	d, err := s.dealFromPath(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	revs, err := s.DB.DealHistory(r.Context(), d.ID)
	if err != nil {
		s.error(w, r, err)
		return
	}
	var records [][]byte
	for _, rev := range revs {
		records = append(records, rev.Before, rev.After)
	}
	names, err := s.DB.LookupNames(r.Context(), nameIDs(records...))
	if err != nil {
		s.error(w, r, err)
		return
	}
	v := web.HistoryView{DealTitle: d.Title, DealURL: web.DealHref(d.ID, d.Slug), Deleted: d.Deleted(), DeletedReason: d.DeletedReason}
	if d.Deleted() && s.isAdmin(r) {
		v.RestoreURL = "/deals/" + formatID(d.ID) + "/restore"
	}
	for _, rev := range revs {
		v.Revisions = append(v.Revisions, web.RevisionView{
			ID: rev.ID, At: rev.CreatedAt, Who: actorName(rev.ActorName), Action: revisionAction(rev),
			ReasonLabel: reasonLabel(rev), Reason: revisionReason(rev), Changes: diffRecords(rev.Before, rev.After, names),
		})
	}
	p := s.page(r, "History of "+d.Title)
	p.Description = "Every change to \u201c" + d.Title + "\u201d: who made it, when, and each field before and after."
	s.render(w, r, http.StatusOK, web.DealHistory(p, v))
}

// dealHistoryRedirect sends /deals/{id}/{slug}/history to the history's
// one address, /deals/{id}/history.
func (s *Server) dealHistoryRedirect(w http.ResponseWriter, r *http.Request) {
	id, ok := urlID(r)
	if !ok {
		s.notFound(w, r)
		return
	}
	http.Redirect(w, r, "/deals/"+formatID(id)+"/history", http.StatusMovedPermanently)
}

func actorName(name string) string {
	if name == "" {
		return "the system"
	}
	return name
}

// revisionReason is a revision's reason, unless it only says what the
// action already does.
func revisionReason(rev ledger.Revision) string {
	if rev.Reason == stageDerivedReason {
		return ""
	}
	return rev.Reason
}

// reasonLabel names what a revision's reason is: the note an editor may
// leave on a create or an edit, or the reason a deletion, a restore or a
// correction must give.
func reasonLabel(rev ledger.Revision) string {
	if rev.Entity != "status_update" && (rev.Action == "create" || rev.Action == "update") {
		return "Note"
	}
	return "Reason"
}

// stageDerivedReason is the reason the store gives a deal revision that a
// status update caused.
const stageDerivedReason = "stage derived from status update"

// revisionAction says what a revision did, in a few words.
func revisionAction(rev ledger.Revision) string {
	id := strconv.FormatInt(rev.EntityID, 10)
	switch rev.Entity + "/" + rev.Action {
	case "deal/create":
		return "Deal created"
	case "deal/update":
		if rev.Reason == stageDerivedReason {
			return "Stage moved by a status update"
		}
		return "Deal edited"
	case "deal/verify":
		return "Checked, no change"
	case "deal/delete":
		return "Deal deleted"
	case "deal/restore":
		return "Deal restored"
	case "organization/create":
		return "Organization created"
	case "organization/update":
		return "Organization edited"
	case "status_update/create":
		return "Status update #" + id + " logged"
	case "status_update/correct":
		return "Status update #" + id + " logged as a correction"
	}
	return rev.Entity + " " + rev.Action
}

// changesPageSize is how many entries one page of /changes lists.
const changesPageSize = 50

// changes is the public log of all edits and corrections, newest first,
// paged by revision id (?before=ID) so that a page's address keeps its
// entries while new changes arrive.
func (s *Server) changes(w http.ResponseWriter, r *http.Request) {
	var before int64
	if raw := r.URL.Query().Get("before"); raw != "" {
		id, ok := parseID(raw)
		if !ok {
			s.error(w, r, ledger.Errorf(ledger.EINVALID, "The page of changes asked for does not exist."))
			return
		}
		before = id
	}
	list, err := s.DB.Changes(r.Context(), before, changesPageSize+1)
	if err != nil {
		s.error(w, r, err)
		return
	}
	v := web.ChangesView{Newest: before == 0}
	if len(list) > changesPageSize {
		list = list[:changesPageSize]
		v.NextURL = "/changes?before=" + formatID(list[len(list)-1].ID)
	}
	var records [][]byte
	for _, c := range list {
		records = append(records, c.Before, c.After)
	}
	names, err := s.DB.LookupNames(r.Context(), nameIDs(records...))
	if err != nil {
		s.error(w, r, err)
		return
	}
	for _, c := range list {
		v.Items = append(v.Items, changeItem(c, names))
	}
	p := s.page(r, "Changes")
	p.Description = "Every edit, status update, correction and deletion in Summit Ledger, newest first."
	s.render(w, r, http.StatusOK, web.Changes(p, v))
}

// changeItem describes one change log entry and links it to its record.
func changeItem(c postgres.Change, names *postgres.Names) web.ChangeItem {
	it := web.ChangeItem{ID: c.ID, At: c.CreatedAt, Who: actorName(c.ActorName),
		ReasonLabel: reasonLabel(c.Revision), Reason: revisionReason(c.Revision)}
	if c.Action == "update" {
		for _, ch := range diffRecords(c.Before, c.After, names) {
			it.Fields = append(it.Fields, ch.Field)
		}
	}
	verb := map[string]string{"create": "Created", "update": "Edited", "delete": "Deleted", "restore": "Restored",
		"correct": "Corrected", "verify": "Checked, no change:"}[c.Action]
	switch c.Entity {
	case "deal":
		it.Action, it.Kind, it.Title = verb, "deal", c.DealTitle
		if c.Action == "update" && c.Reason == stageDerivedReason {
			it.Action = "Stage moved:"
		}
		it.URL, it.HistoryURL = web.DealHref(c.DealID, c.DealSlug), "/deals/"+formatID(c.DealID)+"/history"
	case "status_update":
		it.Action, it.Kind, it.Title = "Logged", "a status update on", c.DealTitle
		if c.Action == "correct" {
			it.Action = "Corrected"
		}
		it.URL, it.HistoryURL = web.UpdateHref(c.EntityID), "/deals/"+formatID(c.DealID)+"/history"
	case "priority":
		it.Action, it.Kind, it.Title = verb, "priority", c.PriorityTitle
		if c.PriorityCountrySlug != "" {
			it.URL = "/countries/" + c.PriorityCountrySlug + "#priority-" + c.PrioritySlug
		}
	case "organization":
		it.Action, it.Kind, it.Title = verb, "organization", c.OrganizationName
		if c.OrganizationSlug != "" {
			it.URL, it.HistoryURL = "/organizations/"+c.OrganizationSlug, "/organizations/"+c.OrganizationSlug+"/history"
		}
	default:
		it.Action, it.Kind = verb, c.Entity
	}
	if it.Action == "" {
		it.Action = c.Action
	}
	return it
}
