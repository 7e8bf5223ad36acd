package server_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"summitledger/internal/postgres"
	"summitledger/internal/postgres/pgtest"
	"summitledger/internal/seed"
	"summitledger/internal/server"
)

// benchDeals is how many synthetic deals the page benchmarks run against
// (with about ten status updates each), besides the C5+1 dataset.
const benchDeals = 10_000

// benchResult is one page's measured server time per request.
type benchResult struct {
	path     string
	p50, p99 time.Duration
	bytes    int
}

// BenchmarkPages measures each page type's server time through the real
// handler at 10,000 synthetic deals, and reports p50 and p99 in ms. A page
// that does not answer 200 fails the benchmark rather than being measured.
//
//	make bench    (or: go test -run '^$' -bench Pages -benchtime 200x ./internal/server/)
func BenchmarkPages(b *testing.B) {
	db := benchDB(b)
	h := server.New(db, slog.New(slog.NewTextHandler(io.Discard, nil))).Routes()
	ctx := context.Background()

	// A synthetic deal with many updates, a busy organization, the summit.
	var dealID int64
	var dealSlug, orgSlug, summitSlug, countrySlug string
	err := db.Pool.QueryRow(ctx, `
		SELECT d.id, d.slug FROM deals d
		WHERE d.slug LIKE 'synthetic-%'
		ORDER BY (SELECT count(*) FROM status_updates su WHERE su.deal_id = d.id) DESC, d.id LIMIT 1`).Scan(&dealID, &dealSlug)
	if err == nil {
		err = db.Pool.QueryRow(ctx, `
			SELECT o.slug FROM organizations o JOIN deal_organizations x ON x.organization_id = o.id
			GROUP BY o.slug ORDER BY count(*) DESC, o.slug LIMIT 1`).Scan(&orgSlug)
	}
	if err == nil {
		err = db.Pool.QueryRow(ctx, `SELECT s.slug FROM summits s ORDER BY held_on DESC NULLS LAST LIMIT 1`).Scan(&summitSlug)
	}
	if err == nil {
		err = db.Pool.QueryRow(ctx, `
			SELECT c.slug FROM countries c JOIN deal_parties p ON p.country_code = c.code
			WHERE c.code <> 'US' GROUP BY c.slug ORDER BY count(*) DESC LIMIT 1`).Scan(&countrySlug)
	}
	if err != nil {
		b.Fatalf("pick pages: %v", err)
	}
	deal := fmt.Sprintf("/deals/%d/%s", dealID, dealSlug)
	pages := []struct{ name, path string }{
		{"dashboard", "/"},
		{"dashboard_as_of", "/?as_of=2025-12-31"},
		{"countries", "/countries"},
		{"country", "/countries/" + countrySlug},
		{"deals", "/deals"},
		{"deals_filtered_search", "/deals?country=kz&stage=contracted&sector=minerals&q=tungsten"},
		{"deals_search", "/deals?q=locomotive"},
		{"deal", deal},
		{"deal_as_of", deal + "?as_of=2025-12-31"},
		{"organization", "/organizations/" + orgSlug},
		{"summit", "/summits/" + summitSlug},
	}

	results := map[string]benchResult{}
	for _, p := range pages {
		b.Run(p.name, func(b *testing.B) {
			// One request first: a page that is missing or failing is an error, not a figure.
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, p.path, nil))
			if rec.Code != http.StatusOK {
				b.Fatalf("GET %s = %d, want 200", p.path, rec.Code)
			}
			size := rec.Body.Len()
			times := make([]time.Duration, 0, b.N)
			b.ResetTimer()
			for range b.N {
				req := httptest.NewRequest(http.MethodGet, p.path, nil)
				rec := httptest.NewRecorder()
				start := time.Now()
				h.ServeHTTP(rec, req)
				times = append(times, time.Since(start))
				if rec.Code != http.StatusOK {
					b.Fatalf("GET %s = %d, want 200", p.path, rec.Code)
				}
			}
			b.StopTimer()
			slices.Sort(times)
			r := benchResult{path: p.path, p50: percentile(times, 50), p99: percentile(times, 99), bytes: size}
			b.ReportMetric(ms(r.p50), "p50-ms")
			b.ReportMetric(ms(r.p99), "p99-ms")
			results[p.name] = r
		})
	}

	var t strings.Builder
	fmt.Fprintf(&t, "server time per request at %d synthetic deals (+ C5+1):\n", benchDeals)
	fmt.Fprintf(&t, "%-22s %9s %9s %9s  %s\n", "page", "p50 ms", "p99 ms", "KiB", "path")
	for _, p := range pages {
		if r, ok := results[p.name]; ok {
			fmt.Fprintf(&t, "%-22s %9.2f %9.2f %9.1f  %s\n", p.name, ms(r.p50), ms(r.p99), float64(r.bytes)/1024, r.path)
		}
	}
	// Printed, not logged: a parent benchmark's log is not shown when it passes.
	fmt.Print(t.String())
}

// benchDB returns a fresh database with the C5+1 dataset and benchDeals
// synthetic deals, or skips the benchmark when PostgreSQL is not there.
func benchDB(b *testing.B) *postgres.DB {
	b.Helper()
	ctx := context.Background()
	cfg := pgtest.Config(b)
	conn, err := pgx.Connect(ctx, cfg.URL())
	if err != nil {
		b.Skipf("no PostgreSQL for the page benchmarks: %v", err)
	}
	conn.Close(ctx)
	db := pgtest.New(b)
	files, err := seed.Files()
	if err == nil {
		_, err = seed.Load(ctx, db, files)
	}
	if err != nil {
		b.Skipf("load the datasets: %v", err)
	}
	st, err := seed.Synthetic(ctx, db, benchDeals, rand.New(rand.NewPCG(2025, 11)))
	if err != nil {
		b.Skipf("synthetic data: %v", err)
	}
	fmt.Printf("seeded %d synthetic deals and %d updates in %v\n", st.Deals, st.Updates, st.Elapsed.Round(time.Millisecond))
	return db
}

// percentile returns the p-th percentile of sorted durations (nearest rank).
func percentile(sorted []time.Duration, p int) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	i := (len(sorted)*p+99)/100 - 1
	return sorted[max(0, min(i, len(sorted)-1))]
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
