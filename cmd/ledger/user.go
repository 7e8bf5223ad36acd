package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"sort"
	"strings"

	"golang.org/x/term"

	"summitledger/internal/auth"
	"summitledger/internal/ledger"
	"summitledger/internal/postgres"
)

const userUsage = `Usage:
  ledger user add --email E --name N --role editor|admin   add a user; the password is read from standard input
  ledger user set-password --email E                       replace a user's password, read from standard input (and sign them out)
  ledger user disable --email E                            stop a user from signing in (and sign them out)
  ledger user enable --email E                             let a disabled user sign in again
  ledger user list                                         list every user

The password is the first line of standard input, at least 8 and at most
1,024 characters; on a terminal it is asked for without echo. For example:
  printf '%s\n' "$PASSWORD" | ledger user add --email ada@example.org --name "Ada Lovelace" --role editor
`

// cliActor is who the revisions written from the command line name.
var cliActor = ledger.Actor{Name: "command line"}

// userCmd runs `ledger user …`.
func userCmd(ctx context.Context, args []string, stdin io.Reader, stdout io.Writer, log *slog.Logger) error {
	if len(args) == 0 {
		io.WriteString(stdout, userUsage) //nolint:errcheck
		return errors.New("user: no subcommand given")
	}
	sub, args := args[0], args[1:]
	fs := flag.NewFlagSet("user "+sub, flag.ContinueOnError)
	fs.SetOutput(stdout)
	email := fs.String("email", "", "the user's email address")
	name := fs.String("name", "", "the user's name, as pages show it (add)")
	role := fs.String("role", "", "editor or admin (add)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("user %s: unexpected argument %q", sub, fs.Arg(0))
	}
	needEmail := func() error {
		if strings.TrimSpace(*email) == "" {
			return fmt.Errorf("user %s: --email is required", sub)
		}
		return nil
	}

	switch sub {
	case "add":
		u := &ledger.User{Email: ledger.NormalizeEmail(*email), Name: strings.TrimSpace(*name), Role: ledger.Role(*role)}
		if err := u.Validate(); err != nil {
			return fmt.Errorf("user add: %w", fieldError(err))
		}
		hash, err := readNewPassword(stdin)
		if err != nil {
			return fmt.Errorf("user add: %w", err)
		}
		return withDB(ctx, log, func(db *postgres.DB) error {
			if err := db.CreateUser(ctx, cliActor, u, hash); err != nil {
				return fmt.Errorf("user add: %w", fieldError(err))
			}
			fmt.Fprintf(stdout, "Added %s %s <%s> (id %d).\n", u.Role, u.Name, u.Email, u.ID)
			return nil
		})
	case "set-password":
		if err := needEmail(); err != nil {
			return err
		}
		hash, err := readNewPassword(stdin)
		if err != nil {
			return fmt.Errorf("user set-password: %w", err)
		}
		return withDB(ctx, log, func(db *postgres.DB) error {
			u, _, err := db.UserByEmail(ctx, *email)
			if err != nil {
				return fmt.Errorf("user set-password: %w", fieldError(err))
			}
			if err := db.SetUserPassword(ctx, cliActor, u.ID, hash); err != nil {
				return fmt.Errorf("user set-password: %w", err)
			}
			fmt.Fprintf(stdout, "Password changed for %s <%s>.\n", u.Name, u.Email)
			return nil
		})
	case "disable", "enable":
		if err := needEmail(); err != nil {
			return err
		}
		return withDB(ctx, log, func(db *postgres.DB) error {
			u, _, err := db.UserByEmail(ctx, *email)
			if err != nil {
				return fmt.Errorf("user %s: %w", sub, fieldError(err))
			}
			if _, err := db.SetUserDisabled(ctx, cliActor, u.ID, sub == "disable"); err != nil {
				return fmt.Errorf("user %s: %w", sub, err)
			}
			fmt.Fprintf(stdout, "%s <%s> is %sd.\n", u.Name, u.Email, sub)
			return nil
		})
	case "list":
		return withDB(ctx, log, func(db *postgres.DB) error {
			users, err := db.Users(ctx)
			if err != nil {
				return err
			}
			for _, u := range users {
				state := "active"
				if u.Disabled() {
					state = "disabled " + u.DisabledAt.Format("2006-01-02")
				}
				fmt.Fprintf(stdout, "%d\t%s\t%s\t%s\t%s\n", u.ID, u.Email, u.Name, u.Role, state)
			}
			return nil
		})
	case "help", "-h", "--help":
		io.WriteString(stdout, userUsage) //nolint:errcheck
		return nil
	}
	io.WriteString(stdout, userUsage) //nolint:errcheck
	return fmt.Errorf("user: unknown subcommand %q", sub)
}

// readNewPassword reads the first line of stdin (without echo on a
// terminal), checks its length and returns its hash. Only the line ending
// is removed: spaces are part of the password.
func readNewPassword(stdin io.Reader) (string, error) {
	var pw string
	if f, ok := stdin.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		fmt.Fprint(os.Stderr, "Password: ")
		b, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(os.Stderr)
		if err != nil {
			return "", fmt.Errorf("read password: %w", err)
		}
		pw = string(b)
	} else {
		sc := bufio.NewScanner(stdin)
		sc.Buffer(make([]byte, 0, 4096), 16*1024)
		if sc.Scan() {
			pw = strings.TrimSuffix(sc.Text(), "\r")
		}
		if err := sc.Err(); err != nil {
			return "", fmt.Errorf("read password from standard input: %w", err)
		}
	}
	if pw == "" {
		return "", errors.New("no password on standard input: give it as the first line, e.g. printf '%s\\n' \"$PASSWORD\" | ledger user …")
	}
	if err := ledger.ValidatePassword(pw); err != nil {
		return "", fieldError(err)
	}
	return auth.HashPassword(pw)
}

// fieldError spells out a validation error's field messages, which a page
// shows beside each field but a terminal has nowhere else to show.
func fieldError(err error) error {
	var e *ledger.Error
	if !errors.As(err, &e) || len(e.Fields) == 0 {
		if ledger.ErrorCode(err) == ledger.ENOTFOUND {
			return errors.New("no user has that email")
		}
		return err
	}
	var msgs []string
	for f, m := range e.Fields {
		if f != "password" {
			f = "--" + f // the other fields are flags
		}
		msgs = append(msgs, f+": "+m)
	}
	sort.Strings(msgs)
	return errors.New(strings.Join(msgs, "; "))
}
