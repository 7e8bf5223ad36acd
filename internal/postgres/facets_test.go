package postgres_test

import (
	"context"
	"testing"

	"summitledger/internal/ledger"
	"summitledger/internal/postgres/pgtest"
)

func TestUnknownFacetValues(t *testing.T) {
	ctx := context.Background()
	db := pgtest.NewSeeded(t)
	res, err := db.FindDeals(ctx, ledger.DealFilter{Countries: []string{"ZZ", "ZZ"}, Summits: []string{"yalta-1945"},
		Organizations: []string{"acme"}, Page: 1, PerPage: 25})
	if err != nil {
		t.Fatal(err)
	}
	if res.Total != 0 {
		t.Errorf("total = %d, want 0", res.Total)
	}
	for _, tc := range []struct {
		facet string
		opts  []ledger.FacetOption
		value string
	}{
		{"country", res.Facets.Countries, "zz"},
		{"summit", res.Facets.Summits, "yalta-1945"},
		{"organization", res.Facets.Organizations, "acme"},
	} {
		t.Run("an unknown "+tc.facet+" is listed as chosen, with no deals", func(t *testing.T) {
			var got []ledger.FacetOption
			for _, o := range tc.opts {
				if o.Value == tc.value {
					got = append(got, o)
				}
			}
			want := ledger.FacetOption{Value: tc.value, Label: tc.value, Count: 0, Selected: true}
			if len(got) != 1 || got[0] != want {
				t.Errorf("%s options for %q = %+v, want once %+v", tc.facet, tc.value, got, want)
			}
		})
	}
}
