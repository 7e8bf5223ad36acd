package main

import (
	"context"
	"flag"
	"log/slog"
	"math/rand/v2"
	"time"

	"summitledger/internal/postgres"
	"summitledger/internal/seed"
)

// seedCmd loads the C5+1 dataset and, with --synthetic N, adds N made-up
// deals for benchmarks; each such run adds N more.
func seedCmd(ctx context.Context, args []string, log *slog.Logger) error {
	fs := flag.NewFlagSet("seed", flag.ContinueOnError)
	n := fs.Int("synthetic", 0, "also add this many synthetic deals (slugs start with synthetic-; each run adds more)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	return withDB(ctx, log, func(db *postgres.DB) error {
		if err := loadSeed(ctx, db, log); err != nil {
			return err
		}
		if *n <= 0 {
			return nil
		}
		now := uint64(time.Now().UnixNano())
		st, err := seed.Synthetic(ctx, db, *n, rand.New(rand.NewPCG(now, now>>1)))
		if err != nil {
			return err
		}
		log.Info("synthetic deals added", "deals", st.Deals, "updates", st.Updates,
			"organizations", st.Organizations, "elapsed", st.Elapsed.Round(time.Millisecond))
		return nil
	})
}
