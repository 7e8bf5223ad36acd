// Command ledger is Summit Ledger's one binary: serve, migrate, seed, user, export, import.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"syscall"

	"github.com/jackc/pgx/v5/pgxpool"

	"summitledger/internal/devdb"
	"summitledger/internal/postgres"
	"summitledger/internal/seed"
	"summitledger/internal/server"
)

const usage = `Usage:
  ledger serve   [--addr 127.0.0.1:8080] [--migrate] [--seed] [--metrics-addr A]   serve the web app
  ledger migrate                                            apply migrations
  ledger seed    [--synthetic N]                            load the datasets (idempotent; keeps editors' changes); --synthetic adds N made-up deals
  ledger seed    --check [--dir D]                          check the datasets without a database; exit 1 on any problem
  ledger user    add|set-password|disable|enable|list ...      manage editors and admins (ledger user help)
  ledger export  [--with-secrets] > backup.json             write the whole ledger as JSON (password hashes only with --with-secrets)
  ledger import  backup.json                                migrate, then load a backup into an empty database, ids kept

DATABASE_URL selects the database; unset, a local PostgreSQL is found or a
private cluster is started under ./.data/postgres.
`

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	log := slog.New(slog.NewTextHandler(os.Stderr, nil))
	if err := run(ctx, os.Args[1:], os.Stdin, os.Stdout, log); err != nil {
		fmt.Fprintln(os.Stderr, "ledger:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string, stdin io.Reader, stdout io.Writer, log *slog.Logger) error {
	if len(args) == 0 {
		fmt.Fprint(stdout, usage)
		return errors.New("no command given")
	}
	cmd, args := args[0], args[1:]
	switch cmd {
	case "serve":
		return serve(ctx, args, log)
	case "migrate":
		return withDB(ctx, log, func(db *postgres.DB) error { return db.Migrate(ctx) })
	case "seed":
		return seedCmd(ctx, args, stdout, log)
	case "user":
		return userCmd(ctx, args, stdin, stdout, log)
	case "export":
		return exportCmd(ctx, args, stdout, log)
	case "import":
		return importCmd(ctx, args, stdin, stdout, log)
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return nil
	}
	fmt.Fprint(stdout, usage)
	return fmt.Errorf("unknown command %q", cmd)
}

func serve(ctx context.Context, args []string, log *slog.Logger) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	addr := fs.String("addr", "127.0.0.1:8080", "address to listen on")
	migrate := fs.Bool("migrate", false, "apply migrations before serving")
	doSeed := fs.Bool("seed", false, "load the datasets before serving when the ledger is empty")
	base := fs.String("base-url", os.Getenv("BASE_URL"), "public origin for canonical links, e.g. https://ledger.example.org")
	metricsAddr := fs.String("metrics-addr", os.Getenv("METRICS_ADDR"), "serve /metrics on this address (e.g. 127.0.0.1:9090) instead of the public one")
	proxies := fs.String("trusted-proxies", os.Getenv("TRUSTED_PROXIES"), "comma-separated CIDR prefixes of reverse proxies whose X-Forwarded-For names the client")
	if err := fs.Parse(args); err != nil {
		return err
	}
	trusted, err := parsePrefixes(*proxies)
	if err != nil {
		return err
	}
	return withDBConfig(ctx, log, postgres.ServingConfig, func(db *postgres.DB) error {
		if *migrate {
			if err := db.Migrate(ctx); err != nil {
				return err
			}
		}
		if *doSeed {
			c, err := db.Count(ctx)
			if err != nil {
				return err
			}
			if c.Deals == 0 {
				if err := loadSeed(ctx, db, log); err != nil {
					return err
				}
			}
		}
		srv := server.New(db, log)
		srv.BaseURL = *base
		srv.TrustedProxies = trusted
		srv.MetricsAddr = *metricsAddr
		return srv.ListenAndServe(ctx, *addr)
	})
}

func loadSeed(ctx context.Context, db *postgres.DB, log *slog.Logger) error {
	files, err := seed.Files()
	if err != nil {
		return err
	}
	report, err := seed.Load(ctx, db, files)
	if err != nil {
		return err
	}
	if len(report.Kept) > 0 {
		log.Warn("seed left records alone that editors changed", "records", report.Kept)
	}
	c, err := db.Count(ctx)
	if err != nil {
		return err
	}
	log.Info("seeded", "added", len(report.Added), "changed", len(report.Changed), "summits", c.Summits, "countries", c.Countries, "organizations", c.Organizations,
		"priorities", c.Priorities, "deals", c.Deals, "updates", c.Updates)
	return nil
}

// withDB opens DATABASE_URL, or the zero-config local database, runs fn and closes it.
func withDB(ctx context.Context, log *slog.Logger, fn func(*postgres.DB) error) error {
	return withDBConfig(ctx, log, postgres.Config, fn)
}

// withDBConfig is withDB with the pool configuration made by config.
func withDBConfig(ctx context.Context, log *slog.Logger, config func(string) (*pgxpool.Config, error), fn func(*postgres.DB) error) error {
	url := os.Getenv("DATABASE_URL")
	if url == "" {
		u, stopDB, err := devdb.Open(ctx, ".data/postgres", "summitledger", log)
		if err != nil {
			return err
		}
		defer func() {
			if err := stopDB(); err != nil {
				log.Error("stop local database", "err", err)
			}
		}()
		url = u
	}
	cfg, err := config(url)
	if err != nil {
		return err
	}
	db, err := postgres.OpenConfig(ctx, cfg)
	if err != nil {
		return err
	}
	defer db.Close()
	return fn(db)
}
