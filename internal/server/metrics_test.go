package server_test

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"summitledger/internal/postgres/pgtest"
	"summitledger/internal/server"
)

func TestMetrics(t *testing.T) {
	db := pgtest.NewSeeded(t)
	logs := &lockedBuffer{}
	srv := server.New(db, slog.New(slog.NewTextHandler(logs, nil)))
	ts := httptest.NewServer(srv.Routes())
	t.Cleanup(ts.Close)
	c := newClient(t)
	id := dealIDBySlug(t, db, "wabtec-kazakhstan-locomotives")
	do(t, c, http.MethodGet, ts.URL+"/", nil)
	do(t, c, http.MethodGet, ts.URL+"/deals/"+itoa(id)+"/wabtec-kazakhstan-locomotives", nil)
	do(t, c, http.MethodGet, ts.URL+"/no-such-page", nil)

	r := do(t, c, http.MethodGet, ts.URL+"/metrics", nil)
	if r.status != http.StatusOK {
		t.Fatalf("/metrics: status %d", r.status)
	}
	for _, want := range []string{
		`ledger_http_requests_total{method="GET",route="/",status="200"} 1`,
		`ledger_http_requests_total{method="GET",route="/deals/{id}/{slug}",status="200"} 1`,
		`ledger_http_requests_total{method="GET",route="unmatched",status="404"} 1`,
		`ledger_http_request_duration_seconds_bucket{route="/",le="+Inf"} 1`,
		`ledger_page_cache_requests_total{result="hit"}`,
		`ledger_page_cache_requests_total{result="miss"}`,
		`ledger_page_cache_invalidations_total`,
		`ledger_db_pool_connections{state="idle"}`,
		`ledger_db_pool_acquires_total`,
		`go_build_info{`,
	} {
		if !strings.Contains(r.body, want) {
			t.Errorf("/metrics lacks %s", want)
		}
	}

	t.Run("every answer carries a request ID, also in its log line", func(t *testing.T) {
		r := do(t, c, http.MethodGet, ts.URL+"/countries", nil)
		rid := r.header.Get("X-Request-ID")
		if len(rid) < 8 {
			t.Fatalf("X-Request-ID = %q", rid)
		}
		if !strings.Contains(logs.String(), "request_id="+rid) {
			t.Errorf("no log line names request_id=%s", rid)
		}
		if r := do(t, c, http.MethodGet, ts.URL+"/countries", nil, "X-Request-ID", "edge-42.a_b"); r.header.Get("X-Request-ID") != "edge-42.a_b" {
			t.Errorf("a proxy's ID was replaced by %q", r.header.Get("X-Request-ID"))
		}
		if r := do(t, c, http.MethodGet, ts.URL+"/countries", nil, "X-Request-ID", "bad id\"<x>"); r.header.Get("X-Request-ID") == "bad id\"<x>" {
			t.Error("an unsafe request ID was echoed")
		}
	})

	t.Run("--metrics-addr takes /metrics off the public address", func(t *testing.T) {
		srv := server.New(db, slog.New(slog.NewTextHandler(io.Discard, nil)))
		srv.MetricsAddr = "127.0.0.1:0"
		ts := httptest.NewServer(srv.Routes())
		t.Cleanup(ts.Close)
		if r := do(t, c, http.MethodGet, ts.URL+"/metrics", nil); r.status != http.StatusNotFound {
			t.Errorf("public /metrics: status %d, want 404", r.status)
		}
	})
}
