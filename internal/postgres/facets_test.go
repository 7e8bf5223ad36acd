package postgres_test

import (
	"context"
	"reflect"
	"strings"
	"testing"

	"summitledger/internal/ledger"
	"summitledger/internal/postgres/pgtest"
)

func TestResolveDealFilter(t *testing.T) {
	ctx := context.Background()
	db := pgtest.NewSeeded(t)
	org, err := db.OrganizationBySlug(ctx, "wabtec")
	if err != nil {
		t.Fatal(err)
	}
	org.Name, org.Slug = "Wabtec Corporation", "wabtec-corporation"
	if err := db.UpdateOrganization(ctx, editor, org); err != nil {
		t.Fatal(err)
	}

	t.Run("values are written as the list's links write them, once each", func(t *testing.T) {
		f, err := db.ResolveDealFilter(ctx, ledger.DealFilter{Countries: []string{"kazakhstan", "KZ", "uz"},
			Summits: []string{"C5plus1-Washington-2025"}, Organizations: []string{"wabtec", "wabtec-corporation"}, Page: 1})
		if err != nil {
			t.Fatal(err)
		}
		want := ledger.DealFilter{Countries: []string{"KZ", "UZ"}, Summits: []string{"c5plus1-washington-2025"},
			Organizations: []string{"wabtec-corporation"}, Page: 1}
		if !reflect.DeepEqual(f, want) {
			t.Errorf("resolved = %+v, want %+v", f, want)
		}
	})
	for _, tc := range []struct {
		name string
		f    ledger.DealFilter
		says string
	}{
		{"country", ledger.DealFilter{Countries: []string{"kz", "zz"}}, `There is no country "zz"`},
		{"summit", ledger.DealFilter{Summits: []string{"yalta-1945"}}, `There is no summit "yalta-1945"`},
		{"organization", ledger.DealFilter{Organizations: []string{"acme"}}, `There is no organization "acme"`},
	} {
		t.Run("an unknown "+tc.name+" is invalid, named", func(t *testing.T) {
			tc.f.Page = 1
			_, err := db.ResolveDealFilter(ctx, tc.f)
			if ledger.ErrorCode(err) != ledger.EINVALID || !strings.Contains(ledger.ErrorMessage(err), tc.says) {
				t.Errorf("err = %v, want EINVALID saying %s", err, tc.says)
			}
		})
	}
}
