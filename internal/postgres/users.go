package postgres

import (
	"context"
	"fmt"
	"time"

	"summitledger/internal/ledger"
	"summitledger/internal/postgres/sqlcdb"
)

// userRevision is what a user's revision records: never the password hash,
// and not the email, because revisions feed the public change log.
type userRevision struct {
	ID         int64
	Name       string
	Role       ledger.Role
	DisabledAt *time.Time
}

func revisionOf(u *ledger.User) userRevision {
	return userRevision{ID: u.ID, Name: u.Name, Role: u.Role, DisabledAt: nonZero(u.DisabledAt)}
}

// CreateUser validates u and inserts it with its password hash and a
// revision; it sets u's ID and CreatedAt. An email that is taken, in any
// letter case, is a conflict.
func (db *DB) CreateUser(ctx context.Context, actor ledger.Actor, u *ledger.User, passwordHash string) error {
	u.Email = ledger.NormalizeEmail(u.Email)
	if err := u.Validate(); err != nil {
		return err
	}
	return db.inTx(ctx, func(q *sqlcdb.Queries) error {
		row, err := q.UserInsert(ctx, sqlcdb.UserInsertParams{
			Email: u.Email, Name: u.Name, Role: string(u.Role), PasswordHash: passwordHash,
		})
		if err != nil {
			if ledger.ErrorCode(dbError(err, "User")) == ledger.ECONFLICT {
				return &ledger.Error{Code: ledger.ECONFLICT, Message: "A user with this email already exists.",
					Fields: map[string]string{"email": "A user with this email already exists."}}
			}
			return dbError(err, "User")
		}
		u.ID, u.CreatedAt = row.ID, row.CreatedAt
		return writeRevision(ctx, q, actor, "user", u.ID, "create", "", nil, revisionOf(u))
	})
}

// UserByEmail returns the user whose email matches, ignoring letter case,
// and the user's password hash, which only sign-in should ask for.
func (db *DB) UserByEmail(ctx context.Context, email string) (*ledger.User, string, error) {
	r, err := db.q.UserGetByEmail(ctx, ledger.NormalizeEmail(email))
	if err != nil {
		return nil, "", dbError(err, "User")
	}
	u := userFromRow(sqlcdb.UserGetRow{ID: r.ID, Email: r.Email, Name: r.Name, Role: r.Role,
		DisabledAt: r.DisabledAt, CreatedAt: r.CreatedAt, SessionEpoch: r.SessionEpoch})
	return &u, r.PasswordHash, nil
}

// User returns one user.
func (db *DB) User(ctx context.Context, id int64) (*ledger.User, error) {
	r, err := db.q.UserGet(ctx, id)
	if err != nil {
		return nil, dbError(err, "User")
	}
	u := userFromRow(r)
	return &u, nil
}

// Users returns every user, enabled or not, by name.
func (db *DB) Users(ctx context.Context) ([]ledger.User, error) {
	rows, err := db.q.UserList(ctx)
	if err != nil {
		return nil, fmt.Errorf("postgres: list users: %w", err)
	}
	out := make([]ledger.User, len(rows))
	for i, r := range rows {
		out[i] = userFromRow(sqlcdb.UserGetRow(r))
	}
	return out, nil
}

// SetUserPassword replaces user id's password hash and ends every session
// the user signed in before; its revision says only that the password
// changed.
func (db *DB) SetUserPassword(ctx context.Context, actor ledger.Actor, id int64, passwordHash string) error {
	return db.inTx(ctx, func(q *sqlcdb.Queries) error {
		n, err := q.UserSetPassword(ctx, sqlcdb.UserSetPasswordParams{ID: id, PasswordHash: passwordHash})
		if err != nil {
			return dbError(err, "User")
		}
		if n == 0 {
			return ledger.Errorf(ledger.ENOTFOUND, "User not found.")
		}
		return writeRevision(ctx, q, actor, "user", id, "update", "Password changed.", nil, nil)
	})
}

// SetUserDisabled disables user id, or enables it again, with a revision;
// a disabled user cannot sign in, and every session they had ends, so
// enabling them again later revives none.
// Disabling a disabled user keeps the first time it was disabled.
func (db *DB) SetUserDisabled(ctx context.Context, actor ledger.Actor, id int64, disabled bool) (*ledger.User, error) {
	var u ledger.User
	err := db.inTx(ctx, func(q *sqlcdb.Queries) error {
		before, err := q.UserGet(ctx, id)
		if err != nil {
			return dbError(err, "User")
		}
		after, err := q.UserSetDisabled(ctx, sqlcdb.UserSetDisabledParams{ID: id, Disabled: disabled})
		if err != nil {
			return dbError(err, "User")
		}
		b, a := userFromRow(before), userFromRow(sqlcdb.UserGetRow(after))
		u = a
		reason := "Account disabled."
		if !disabled {
			reason = "Account enabled."
		}
		return writeRevision(ctx, q, actor, "user", id, "update", reason, revisionOf(&b), revisionOf(&a))
	})
	if err != nil {
		return nil, err
	}
	return &u, nil
}

func userFromRow(r sqlcdb.UserGetRow) ledger.User {
	return ledger.User{ID: r.ID, Email: r.Email, Name: r.Name, Role: ledger.Role(r.Role),
		DisabledAt: deref(r.DisabledAt), CreatedAt: r.CreatedAt, SessionEpoch: int(r.SessionEpoch)}
}

// DeleteExpiredSessions removes sessions past their expiry and returns how
// many it removed; the server runs it now and then while it serves.
func (db *DB) DeleteExpiredSessions(ctx context.Context) (int64, error) {
	n, err := db.q.SessionDeleteExpired(ctx)
	if err != nil {
		return 0, fmt.Errorf("postgres: delete expired sessions: %w", err)
	}
	return n, nil
}
