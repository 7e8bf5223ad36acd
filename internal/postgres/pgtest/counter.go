package pgtest

import (
	"context"
	"sync/atomic"
	"testing"

	"github.com/jackc/pgx/v5"

	"summitledger/internal/postgres"
)

// QueryCounter is a pgx query tracer that counts the statements run
// through the pool, so tests can show a page runs a fixed number of queries.
type QueryCounter struct {
	n atomic.Int64
}

// TraceQueryStart counts one statement.
func (c *QueryCounter) TraceQueryStart(ctx context.Context, _ *pgx.Conn, _ pgx.TraceQueryStartData) context.Context {
	c.n.Add(1)
	return ctx
}

// TraceQueryEnd does nothing; a statement is counted when it starts.
func (c *QueryCounter) TraceQueryEnd(context.Context, *pgx.Conn, pgx.TraceQueryEndData) {}

// Count returns how many statements ran since the last Reset.
func (c *QueryCounter) Count() int { return int(c.n.Load()) }

// Reset sets the count back to zero.
func (c *QueryCounter) Reset() { c.n.Store(0) }

// NewCounted is New with every statement counted by the returned counter.
func NewCounted(t testing.TB) (*postgres.DB, *QueryCounter) {
	t.Helper()
	cfg, err := postgres.Config(URL(t))
	if err != nil {
		t.Fatalf("pgtest: %v", err)
	}
	counter := &QueryCounter{}
	cfg.ConnConfig.Tracer = counter
	db, err := postgres.OpenConfig(context.Background(), cfg)
	if err != nil {
		t.Fatalf("pgtest: %v", err)
	}
	t.Cleanup(db.Close)
	return db, counter
}
