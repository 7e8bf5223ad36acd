package postgres

import (
	"context"
	"fmt"

	"summitledger/internal/ledger"
	"summitledger/internal/postgres/sqlcdb"
)

func revisionFromRow(r sqlcdb.Revision) ledger.Revision {
	return ledger.Revision{ID: r.ID, Entity: r.Entity, EntityID: r.EntityID, Action: r.Action,
		ActorID: deref(r.ActorID), ActorName: r.ActorName, Reason: r.Reason,
		Before: r.Before, After: r.After, CreatedAt: r.CreatedAt}
}

// DealHistory returns the revisions of a deal and of its status updates, newest first.
func (db *DB) DealHistory(ctx context.Context, dealID int64) ([]ledger.Revision, error) {
	rows, err := db.q.RevisionListForDeal(ctx, dealID)
	if err != nil {
		return nil, fmt.Errorf("postgres: history of deal %d: %w", dealID, err)
	}
	out := make([]ledger.Revision, len(rows))
	for i, r := range rows {
		out[i] = revisionFromRow(r)
	}
	return out, nil
}

// Change is one entry of the public change log: a revision and what is
// needed to name and link the record it changed.
type Change struct {
	ledger.Revision
	DealID              int64 // the deal, or the deal of a status update; 0 otherwise
	DealSlug            string
	DealTitle           string
	DealDeleted         bool
	PriorityTitle       string
	PrioritySlug        string
	PriorityCountrySlug string
	OrganizationName    string
	OrganizationSlug    string
}

// Changes returns up to limit public revisions older than revision beforeID
// (0: the newest), newest first. Changes to user accounts are left out.
func (db *DB) Changes(ctx context.Context, beforeID int64, limit int) ([]Change, error) {
	rows, err := db.q.RevisionLogPage(ctx, sqlcdb.RevisionLogPageParams{BeforeID: beforeID, PageSize: int32(limit)})
	if err != nil {
		return nil, fmt.Errorf("postgres: change log: %w", err)
	}
	out := make([]Change, len(rows))
	for i, r := range rows {
		out[i] = Change{
			Revision: ledger.Revision{ID: r.ID, Entity: r.Entity, EntityID: r.EntityID, Action: r.Action,
				ActorName: r.ActorName, Reason: r.Reason, Before: r.Before, After: r.After, CreatedAt: r.CreatedAt},
			DealID: r.DealID, DealSlug: r.DealSlug, DealTitle: r.DealTitle, DealDeleted: r.DealDeleted,
			PriorityTitle: r.PriorityTitle, PrioritySlug: r.PrioritySlug, PriorityCountrySlug: r.PriorityCountrySlug,
			OrganizationName: r.OrganizationName, OrganizationSlug: r.OrganizationSlug,
		}
	}
	return out, nil
}

// Names maps ids found in revisions to the names people know them by.
type Names struct {
	Countries     map[string]string
	Organizations map[int64]string
	Priorities    map[int64]string
	Deals         map[int64]string
	Summits       map[int64]string
}

// NameIDs are the ids a page needs names for.
type NameIDs struct {
	Organizations, Priorities, Deals, Summits []int64
}

// LookupNames loads the names of every id in ids with one query per kind,
// plus every country, however many revisions a page shows.
func (db *DB) LookupNames(ctx context.Context, ids NameIDs) (*Names, error) {
	n := &Names{Countries: map[string]string{}, Organizations: map[int64]string{},
		Priorities: map[int64]string{}, Deals: map[int64]string{}, Summits: map[int64]string{}}
	countries, err := db.q.CountryList(ctx)
	if err != nil {
		return nil, fmt.Errorf("postgres: names of countries: %w", err)
	}
	for _, c := range countries {
		n.Countries[c.Code] = c.Name
	}
	if len(ids.Organizations) > 0 {
		rows, err := db.q.OrganizationNameList(ctx, ids.Organizations)
		if err != nil {
			return nil, fmt.Errorf("postgres: names of organizations: %w", err)
		}
		for _, r := range rows {
			n.Organizations[r.ID] = r.Name
		}
	}
	if len(ids.Priorities) > 0 {
		rows, err := db.q.PriorityTitleList(ctx, ids.Priorities)
		if err != nil {
			return nil, fmt.Errorf("postgres: names of priorities: %w", err)
		}
		for _, r := range rows {
			n.Priorities[r.ID] = r.Title
		}
	}
	if len(ids.Deals) > 0 {
		rows, err := db.q.DealTitleList(ctx, ids.Deals)
		if err != nil {
			return nil, fmt.Errorf("postgres: names of deals: %w", err)
		}
		for _, r := range rows {
			n.Deals[r.ID] = r.Title
		}
	}
	if len(ids.Summits) > 0 {
		rows, err := db.q.SummitNameList(ctx, ids.Summits)
		if err != nil {
			return nil, fmt.Errorf("postgres: names of summits: %w", err)
		}
		for _, r := range rows {
			n.Summits[r.ID] = r.Name
		}
	}
	return n, nil
}
