package server

import (
	"net/url"
	"reflect"
	"testing"

	"summitledger/internal/ledger"
)

// FuzzOrganizationForm checks the organization form's decoder as the other
// form decoders are checked: it never panics, blames only the form's own
// fields, and a valid form's organization survives a round trip through
// the form unchanged, taking no other organization's name or slug.
func FuzzOrganizationForm(f *testing.F) {
	f.Add("name=Air+Astana&kind=company&country=KZ&description=Flag+carrier.&version=2")
	f.Add("name=&slug=Bad+Slug&kind=pirate&country=ZZ")
	f.Add("name=WABTEC&kind=company")
	f.Add("name=New&kind=agency")
	f.Fuzz(func(t *testing.T, body string) {
		v, _ := url.ParseQuery(body)
		form := decodeOrganizationForm(v)
		if again := decodeOrganizationForm(form.encode()); again != form {
			t.Fatalf("re-encoded form = %+v, want %+v", again, form)
		}
		c := newOrganizationChoices([]ledger.Country{{Code: "KZ"}, {Code: "US"}},
			[]ledger.Organization{{ID: 1, Slug: "wabtec", Name: "Wabtec"}, {ID: 2, Slug: "boeing", Name: "Boeing"}}, 2)
		o, fe := form.validate(c)
		if !namedFieldsOnly(fe, organizationFields) {
			t.Fatalf("errors on unknown fields: %v", fe.Fields)
		}
		if len(fe.Fields) > 0 {
			return
		}
		if err := o.Validate(); err != nil || o.Slug == "wabtec" || o.Slug == "new" {
			t.Fatalf("valid form gave %+v (%v)", o, err)
		}
		o2, fe2 := decodeOrganizationForm(organizationFormFrom(o).encode()).validate(c)
		if len(fe2.Fields) > 0 || !reflect.DeepEqual(o, o2) {
			t.Fatalf("round trip: %+v (%v), want %+v", o2, fe2.Fields, o)
		}
	})
}
