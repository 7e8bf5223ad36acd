package server

import (
	"net/url"
	"reflect"
	"testing"
	"time"

	"summitledger/internal/ledger"
	"summitledger/internal/postgres"
)

// fuzzToday is the day the fuzz targets validate on, so runs repeat.
var fuzzToday = time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)

// fuzzChoices are the records the fuzzed deal form may point at.
func fuzzChoices() dealChoices {
	return newDealChoices(
		[]ledger.Country{{Code: "KZ"}, {Code: "US"}},
		[]ledger.Organization{{ID: 1, Slug: "wabtec", Name: "Wabtec"}, {ID: 2, Slug: "boeing", Name: "Boeing"}},
		[]ledger.Priority{{ID: 10}, {ID: 11}},
		[]ledger.Summit{{ID: 1}},
		[]postgres.DealChoice{{ID: 5}, {ID: 6, ParentID: 5}},
	)
}

// FuzzUpdateForm checks the status update form's decoder on any body: it
// never panics, blames only the form's own fields, re-encodes a decoded
// form to the same form, and a valid form's update survives a round trip
// through the form unchanged, with an http(s) source.
func FuzzUpdateForm(f *testing.F) {
	f.Add("stage=contracted&occurred_on=2025-11-06&note=Signed&source_url=https%3A%2F%2Fexample.org%2Fa&source_title=A&source_publisher=B")
	f.Add("stage=agreed&occurred_on=2025-11-06&source_url=javascript%3Aalert(1)&source_title=A&source_publisher=B")
	f.Add("stage=bogus&occurred_on=2025-13-45&note=%00&source_url=data%3Atext%2Fhtml,x")
	f.Add("correction_reason=Wrong+stage&stage=delivered&occurred_on=2026-01-01&source_url=http%3A%2F%2Fa.b&source_title=T&source_publisher=P")
	f.Fuzz(func(t *testing.T, body string) {
		v, _ := url.ParseQuery(body)
		form := decodeUpdateForm(v)
		if again := decodeUpdateForm(form.encode()); !reflect.DeepEqual(again, form) {
			t.Fatalf("re-encoded form = %+v, want %+v", again, form)
		}
		for _, correcting := range []bool{false, true} {
			u, fe := form.validate(fuzzToday, correcting)
			if !namedFieldsOnly(fe, updateFields) {
				t.Fatalf("errors on unknown fields: %v", fe.Fields)
			}
			if len(fe.Fields) > 0 {
				continue
			}
			if len(u.Sources) == 0 || !ledger.ValidSourceURL(u.Sources[0].URL) || !u.Stage.Valid() {
				t.Fatalf("valid form gave sources %+v, stage %q", u.Sources, u.Stage)
			}
			u2, fe2 := decodeUpdateForm(updateFormFrom(u).encode()).validate(fuzzToday, correcting)
			if len(fe2.Fields) > 0 || !reflect.DeepEqual(u, u2) {
				t.Fatalf("round trip: %+v (%v), want %+v", u2, fe2.Fields, u)
			}
		}
	})
}

// FuzzDealForm checks the deal form's decoder on any body: it never
// panics, blames only the form's own fields, re-encodes a decoded form to
// the same form, and a valid form's deal survives a round trip through the
// form unchanged, pointing only at records that exist.
func FuzzDealForm(f *testing.F) {
	f.Add("title=Locomotives&sector=transport&party=KZ&party=US&org_id=1&org_role=supplier&priority=10&value_amount=4200000000&value_currency=USD&announced_on=2025-09-01&summit_id=1&counts_toward_total=true&version=1")
	f.Add("title=Aircraft&slug=boeing-787&sector=transport&org_id=2&org_role=supplier&org_id=&org_role=&new_org_name=Air+Astana&new_org_kind=company&new_org_role=buyer&value_amount=1%2C250.5&value_currency=usd&parent_id=5")
	f.Add("title=%3Cscript%3Ealert(1)%3C%2Fscript%3E&sector=nope&party=XX&org_id=9&org_role=&priority=abc&value_amount=-1&value_currency=US&announced_on=1800-01-01&summit_id=0&parent_id=6")
	f.Add("title=edit&sector=energy&new_org_role=buyer&value_currency=EUR")
	f.Fuzz(func(t *testing.T, body string) {
		v, _ := url.ParseQuery(body)
		form := decodeDealForm(v)
		if again := decodeDealForm(form.encode()); !reflect.DeepEqual(again, form) {
			t.Fatalf("re-encoded form = %+v, want %+v", again, form)
		}
		c := fuzzChoices()
		for _, self := range []int64{0, 5} {
			d, fe := form.validate(c, self)
			if !namedFieldsOnly(fe, dealFields) {
				t.Fatalf("errors on unknown fields: %v", fe.Fields)
			}
			if len(fe.Fields) > 0 {
				continue
			}
			// An empty slug is the store's to make from the title.
			if d.Slug != "" && !ledger.ValidSlug(d.Slug) || d.Validate() != nil {
				t.Fatalf("valid form gave an invalid deal: slug %q, %v", d.Slug, d.Validate())
			}
			for _, p := range d.Parties {
				if !c.countries[p] {
					t.Fatalf("valid form names unknown party %q", p)
				}
			}
			if _, ok := c.deals[d.ParentID]; d.ParentID != 0 && (!ok || d.ParentID == self) {
				t.Fatalf("valid form names parent %d for deal %d", d.ParentID, self)
			}
			d2, fe2 := decodeDealForm(dealFormFrom(d).encode()).validate(c, self)
			if len(fe2.Fields) > 0 || !reflect.DeepEqual(d, d2) {
				t.Fatalf("round trip: %+v (%v), want %+v", d2, fe2.Fields, d)
			}
		}
	})
}

// FuzzPriorityForm checks the priority form's decoder the same way.
func FuzzPriorityForm(f *testing.F) {
	f.Add("title=Trade+relations&sector=trade&source_url=https%3A%2F%2Fexample.org&source_title=A&source_publisher=B&version=2")
	f.Add("title=&slug=Bad+Slug&sector=x&source_url=javascript%3Aalert(1)")
	f.Fuzz(func(t *testing.T, body string) {
		v, _ := url.ParseQuery(body)
		form := decodePriorityForm(v)
		p, fe := form.validate("KZ")
		if !namedFieldsOnly(fe, priorityFields) {
			t.Fatalf("errors on unknown fields: %v", fe.Fields)
		}
		if len(fe.Fields) > 0 {
			return
		}
		p2, fe2 := decodePriorityForm(priorityFormFrom(p).encode()).validate("KZ")
		if len(fe2.Fields) > 0 || !reflect.DeepEqual(p, p2) {
			t.Fatalf("round trip: %+v (%v), want %+v", p2, fe2.Fields, p)
		}
	})
}
