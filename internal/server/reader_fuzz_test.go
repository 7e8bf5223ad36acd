package server_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"summitledger/internal/postgres"
	"summitledger/internal/postgres/pgtest"
	"summitledger/internal/server"
	"summitledger/web"
)

// maxPageBytes bounds every answer of a public page, whatever its query
// string: the largest, the seeded deals list with its facets, is far below.
const maxPageBytes = 256 << 10

// publicPage is a public address and the query parameters it reads ("x"
// for one that reads none, to show that an unknown parameter is ignored).
type publicPage struct {
	path   string
	params []string
}

// publicPages lists every public page of the seeded ledger.
func publicPages(t testing.TB, db *postgres.DB) []publicPage {
	t.Helper()
	ctx := context.Background()
	id, err := db.DealIDBySlug(ctx, "wabtec-kazakhstan-locomotives")
	if err != nil {
		t.Fatal(err)
	}
	d, err := db.DealDetail(ctx, id, time.Time{})
	if err != nil || len(d.Timeline) == 0 {
		t.Fatalf("deal %d: %v", id, err)
	}
	deal, sid := web.DealHref(id, d.Slug), fmt.Sprint(id)
	list := []string{"country", "sector", "stage", "summit", "organization", "q", "sort", "page"}
	none := []string{"x"}
	return []publicPage{
		{"/", []string{"as_of"}},
		{"/countries", none},
		{"/countries/kazakhstan", []string{"as_of"}},
		{"/countries/kz", []string{"as_of"}},
		{"/deals", list},
		{"/deals.csv", list},
		{"/deals.json", list},
		{"/updates.json", append(slices.Clone(list), "since", "until")},
		{"/updates.csv", append(slices.Clone(list), "since", "until")},
		{"/sources/" + fmt.Sprint(d.Timeline[0].Update.Sources[0].ID), none},
		{deal, []string{"as_of"}},
		{"/deals/" + sid, []string{"as_of"}},
		{"/deals/wabtec-kazakhstan-locomotives", []string{"as_of"}},
		{"/deals/" + sid + "/history", none},
		{deal + "/history", none},
		{"/u/" + fmt.Sprint(d.Timeline[0].Update.ID), none},
		{"/organizations", none},
		{"/organizations/wabtec", none},
		{"/organizations/wabtec/history", none},
		{"/summits", none},
		{"/summits/c5plus1-washington-2025", none},
		{"/methodology", none},
		{"/changes", []string{"before"}},
		{"/updates.atom", none},
		{"/countries/kazakhstan/updates.atom", none},
		{"/deals/" + sid + "/updates.atom", none},
		{"/login", []string{"next"}},
		{"/healthz", none},
		{"/readyz", none},
	}
}

// oddValues are what a person, a crawler or an attacker might put in a
// parameter.
var oddValues = []string{
	"", " ", "0", "-1", "1", "2", "1e3", "0x10", "368934881474191034", "9223372036854775807", "99999999999999999999",
	"kz", "KZ", "kazakhstan", "zz", "wabtec", "foo", "contracted", "relevance", "energy",
	"2026-01-31", "2026-02-30", "9999-12-31", "1900-01-01", "2026-1-1",
	strings.Repeat("-", 50) + "a", strings.Repeat("-!", 90) + "rail", `"rail" or -"x" (y) & z | !w:*`,
	"<script>alert(1)</script>", `"><img src=x onerror=alert(1)>`, "'; DROP TABLE deals; --", "%", "%25", "\\", "../../etc/passwd",
	"//evil.example", "https://evil.example/", "javascript:alert(1)", "/\\evil.example",
	"\u202e", "\x00", "\xff\xfe", "\t\r\n", strings.Repeat("ж", 201), strings.Repeat("x", 100_000),
}

// fetchAny GETs u without following redirects: the status and the body.
func fetchAny(t testing.TB, c *http.Client, u string) (int, int) {
	t.Helper()
	resp, err := c.Get(u)
	if err != nil {
		t.Fatalf("GET %.200s: %v", u, err)
	}
	defer resp.Body.Close()
	n, err := io.Copy(io.Discard, io.LimitReader(resp.Body, maxPageBytes+1))
	if err != nil {
		t.Fatalf("GET %.200s: %v", u, err)
	}
	return resp.StatusCode, int(n)
}

// checkPage asks page for param set to value, repeated n times, and fails
// on a 5xx or a body past maxPageBytes.
func checkPage(t testing.TB, c *http.Client, base string, page publicPage, param, value string, n int) {
	t.Helper()
	one := url.QueryEscape(param) + "=" + url.QueryEscape(value)
	if n < 1 {
		n = 1
	}
	if n*len(one) > 512<<10 { // the server's headers take at most 1 MiB
		n = max(1, (512<<10)/len(one))
	}
	u := base + page.path + "?" + strings.TrimSuffix(strings.Repeat(one+"&", n), "&")
	status, size := fetchAny(t, c, u)
	if status >= 500 {
		t.Errorf("GET %s?%s=%.60q ×%d = %d, want no 5xx", page.path, param, value, n, status)
	}
	if size > maxPageBytes {
		t.Errorf("GET %s?%s=%.60q ×%d answered more than %d bytes", page.path, param, value, n, maxPageBytes)
	}
}

var noRedirect = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

// TestPublicPagesOddInput asks every query parameter of every public page
// for each odd value, once, 21 times and 3,000 times: no answer is a 5xx,
// and none is longer than maxPageBytes.
func TestPublicPagesOddInput(t *testing.T) {
	db := pgtest.NewSeeded(t)
	ts := serve(t, db, nil)
	for _, page := range publicPages(t, db) {
		t.Run(page.path, func(t *testing.T) {
			for _, param := range page.params {
				for _, v := range oddValues {
					checkPage(t, noRedirect, ts.URL, page, param, v, 1)
				}
				for _, v := range []string{"kz", "wabtec", "contracted", "x", strings.Repeat("y", 200)} {
					checkPage(t, noRedirect, ts.URL, page, param, v, 21)
					checkPage(t, noRedirect, ts.URL, page, param, v, 3000)
				}
			}
		})
	}
}

// FuzzPublicPages explores the same property with values and repeats the
// fuzzer makes up: go test -fuzz FuzzPublicPages ./internal/server.
func FuzzPublicPages(f *testing.F) {
	db := pgtest.NewSeeded(f)
	ts := httptest.NewServer(server.New(db, slog.New(slog.NewTextHandler(io.Discard, nil))).Routes())
	f.Cleanup(ts.Close)
	pages := publicPages(f, db)
	f.Add(uint8(4), uint8(0), "kazakhstan", uint16(1))
	f.Add(uint8(4), uint8(5), strings.Repeat("-", 50)+"a", uint16(1))
	f.Add(uint8(4), uint8(7), "368934881474191034", uint16(1))
	f.Add(uint8(4), uint8(4), "wabtec", uint16(3000))
	f.Add(uint8(0), uint8(0), "2026-02-30", uint16(2))
	f.Fuzz(func(t *testing.T, pi, qi uint8, value string, n uint16) {
		page := pages[int(pi)%len(pages)]
		checkPage(t, noRedirect, ts.URL, page, page.params[int(qi)%len(page.params)], value, int(n%3001))
	})
}
