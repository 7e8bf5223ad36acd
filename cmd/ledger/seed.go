package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"os"
	"time"

	"summitledger/internal/postgres"
	"summitledger/internal/seed"
)

// seedCmd loads the datasets and, with --synthetic N, adds N made-up
// deals for benchmarks; each such run adds N more. With --check it only
// checks the datasets (or the files of --dir), without a database.
func seedCmd(ctx context.Context, args []string, stdout io.Writer, log *slog.Logger) error {
	fs := flag.NewFlagSet("seed", flag.ContinueOnError)
	n := fs.Int("synthetic", 0, "also add this many synthetic deals (slugs start with synthetic-; each run adds more)")
	check := fs.Bool("check", false, "check the datasets without a database; list every problem and exit 1 if any")
	dir := fs.String("dir", "", "with --check, check the *.json files of this folder instead of the built-in datasets")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *check {
		return checkSeed(stdout, *dir)
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

// errProblems says the datasets have problems, already listed.
var errProblems = errors.New("the datasets have problems")

// checkSeed lists every problem of the datasets (of dir, when given).
func checkSeed(w io.Writer, dir string) error {
	files, err := seed.Files()
	if dir != "" {
		files, err = seed.ReadFiles(os.DirFS(dir), ".")
	}
	if err != nil {
		fmt.Fprintln(w, err)
		return errProblems
	}
	problems := seed.Check(files)
	for _, p := range problems {
		fmt.Fprintln(w, p)
	}
	if len(problems) > 0 {
		fmt.Fprintf(w, "%d problems in %d files\n", len(problems), len(files))
		return errProblems
	}
	fmt.Fprintf(w, "%d files: no problems\n", len(files))
	return nil
}
