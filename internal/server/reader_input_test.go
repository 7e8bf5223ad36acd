package server_test

import (
	"net/http"
	"testing"
)

func TestOddAddresses(t *testing.T) {
	ts, _ := newServer(t)
	for _, tc := range []struct {
		name, path string
	}{
		{"a NUL in the search is 400", "/deals?q=%00"},
		{"invalid UTF-8 in the search is 400", "/deals?q=%FF"},
		{"a NUL in a facet is 400", "/deals?summit=%00"},
		{"invalid UTF-8 in a facet is 400", "/deals?organization=%FF"},
		{"a NUL in the CSV's search is 400", "/deals.csv?q=%00"},
		{"invalid UTF-8 in a country slug is 400", "/countries/%FF"},
		{"a NUL in an organization slug is 400", "/organizations/%00"},
		{"invalid UTF-8 in a summit slug is 400", "/summits/%FF"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := fetch(t, ts.URL+tc.path)
			if p.status != http.StatusBadRequest {
				t.Fatalf("GET %s = %d, want 400", tc.path, p.status)
			}
			if p.doc.Find("h1").Length() != 1 || p.doc.Find(`a[href="/deals"]`).Length() == 0 {
				t.Errorf("GET %s is not an HTML error page with a way on", tc.path)
			}
		})
	}
}
