package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"

	"summitledger/internal/ledger"
	"summitledger/internal/postgres"
)

// exportCmd runs `ledger export [--with-secrets]`: the whole ledger as one
// JSON document on standard output.
func exportCmd(ctx context.Context, args []string, stdout io.Writer, log *slog.Logger) error {
	fs := flag.NewFlagSet("export", flag.ContinueOnError)
	fs.SetOutput(os.Stderr) // standard output is the backup
	secrets := fs.Bool("with-secrets", false, "include users' password hashes, so that they can sign in after a restore")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("export: unexpected argument %q; the backup goes to standard output", fs.Arg(0))
	}
	return withDB(ctx, log, func(db *postgres.DB) error {
		if err := db.Export(ctx, stdout, *secrets); err != nil {
			return fmt.Errorf("export: %w", err)
		}
		return nil
	})
}

// importCmd runs `ledger import FILE`: migrations, then the backup in FILE
// ("-" for standard input) loaded into the empty database.
func importCmd(ctx context.Context, args []string, stdin io.Reader, stdout io.Writer, log *slog.Logger) error {
	fs := flag.NewFlagSet("import", flag.ContinueOnError)
	fs.SetOutput(stdout)
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return errors.New("import: name one backup file, or - for standard input")
	}
	in := stdin
	if name := fs.Arg(0); name != "-" {
		f, err := os.Open(name)
		if err != nil {
			return fmt.Errorf("import: %w", err)
		}
		defer f.Close()
		in = f
	}
	return withDB(ctx, log, func(db *postgres.DB) error {
		if err := db.Migrate(ctx); err != nil {
			return err
		}
		res, err := db.Import(ctx, in)
		if err != nil {
			if code := ledger.ErrorCode(err); code == ledger.EINVALID || code == ledger.ECONFLICT {
				err = errors.New(ledger.ErrorMessage(err))
			}
			return fmt.Errorf("import: %w", err)
		}
		var counts []string
		for _, t := range res.Tables {
			counts = append(counts, fmt.Sprintf("%d %s", t.Rows, strings.ReplaceAll(t.Name, "_", " ")))
		}
		fmt.Fprintf(stdout, "Imported %s.\n", strings.Join(counts, ", "))
		if len(res.NoPassword) > 0 {
			fmt.Fprintf(stdout, "%d users have no password yet (the backup was made without --with-secrets); give each one with\n", len(res.NoPassword))
			for _, email := range res.NoPassword {
				fmt.Fprintf(stdout, "  ledger user set-password --email %s\n", email)
			}
		}
		return nil
	})
}
