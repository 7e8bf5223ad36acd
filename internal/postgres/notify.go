package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// ChangesChannel is the channel every write to public data notifies
// (migration 00007: a statement trigger on each such table).
const ChangesChannel = "ledger_changes"

// Listener is told what happens on the change channel.
type Listener interface {
	// Listening is called once LISTEN is in force on a fresh connection:
	// from then on no committed write goes unnoticed.
	Listening()
	// Changed is called for each notification; payload names the table.
	Changed(payload string)
	// Lost is called when the connection fails: writes may go unnoticed
	// until Listening is called again.
	Lost(err error)
}

// Listen holds a dedicated connection (not one of the pool's) that LISTENs
// on ChangesChannel, and reports to l until ctx ends; after a failure it
// reconnects, waiting a little longer each time, up to 5 seconds.
func (db *DB) Listen(ctx context.Context, l Listener) {
	wait := 100 * time.Millisecond
	for ctx.Err() == nil {
		err := db.listenOnce(ctx, l)
		if ctx.Err() != nil {
			return
		}
		l.Lost(err)
		select {
		case <-ctx.Done():
			return
		case <-time.After(wait):
		}
		wait = min(2*wait, 5*time.Second)
	}
}

// listenOnce connects, LISTENs and passes notifications on until the
// connection fails or ctx ends.
func (db *DB) listenOnce(ctx context.Context, l Listener) error {
	cfg := db.Pool.Config().ConnConfig.Copy()
	if cfg.ConnectTimeout == 0 || cfg.ConnectTimeout > 5*time.Second {
		cfg.ConnectTimeout = 5 * time.Second
	}
	conn, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		return fmt.Errorf("postgres: listen: connect: %w", err)
	}
	defer conn.Close(context.WithoutCancel(ctx)) //nolint:errcheck // the connection is being dropped
	lctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	_, err = conn.Exec(lctx, "LISTEN "+ChangesChannel)
	cancel()
	if err != nil {
		return fmt.Errorf("postgres: listen: %w", err)
	}
	l.Listening()
	for {
		// A frozen server would leave the wait hanging forever; ping it
		// when nothing has arrived for a while.
		wctx, cancel := context.WithTimeout(ctx, 10*time.Second)
		n, err := conn.WaitForNotification(wctx)
		cancel()
		switch {
		case err == nil:
			l.Changed(n.Payload)
			continue
		case ctx.Err() != nil:
			return ctx.Err()
		case wctx.Err() == nil:
			return fmt.Errorf("postgres: listen: %w", err)
		}
		// pgx closes the connection when a wait is cancelled mid-read, so
		// a timed-out wait ends this connection; a fresh one LISTENs again.
		if conn.IsClosed() {
			return fmt.Errorf("postgres: listen: idle connection closed")
		}
		pctx, cancel := context.WithTimeout(ctx, 2*time.Second)
		err = conn.Ping(pctx)
		cancel()
		if err != nil {
			return fmt.Errorf("postgres: listen: ping: %w", err)
		}
	}
}
