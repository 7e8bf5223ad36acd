package postgres

import (
	"context"
	"fmt"

	"summitledger/internal/ledger"
)

// loadRelations fills the parties and organizations of deals with one
// query, and returns the priorities each deal advances.
func (db *DB) loadRelations(ctx context.Context, deals []ledger.DealSummary) (map[int64][]ledger.PriorityRef, error) {
	if len(deals) == 0 {
		return nil, nil
	}
	ids := make([]int64, len(deals))
	at := make(map[int64]int, len(deals))
	for i, d := range deals {
		ids[i], at[d.ID] = d.ID, i
	}
	rows, err := db.q.DealRelationList(ctx, ids)
	if err != nil {
		return nil, fmt.Errorf("postgres: relations of %d deals: %w", len(ids), err)
	}
	prios := map[int64][]ledger.PriorityRef{}
	for _, r := range rows {
		d := &deals[at[r.DealID]]
		switch r.Kind {
		case "party":
			d.Parties = append(d.Parties, ledger.CountryRef{Code: r.Code, Slug: r.Slug, Name: r.Name})
		case "organization":
			d.Organizations = append(d.Organizations, ledger.OrganizationRef{Slug: r.Slug, Name: r.Name, Kind: r.Code, Role: r.Role})
		case "priority":
			prios[r.DealID] = append(prios[r.DealID], ledger.PriorityRef{CountryCode: r.Code, CountrySlug: r.CountrySlug,
				CountryName: r.CountryName, Slug: r.Slug, Title: r.Name})
		}
	}
	return prios, nil
}
