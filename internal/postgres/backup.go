package postgres

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"summitledger/internal/auth"
	"summitledger/internal/ledger"
)

// BackupFormat names the document `ledger export` writes.
const BackupFormat = "summitledger-backup"

// BackupVersion is the version of the document's shape. It changes when the
// shape does; a new column only changes schema_version.
const BackupVersion = 1

// backupTable is one table of a backup: its rows are the table's rows as
// to_jsonb writes them, so every column is kept, whatever later migrations add.
type backupTable struct {
	name  string // the table, and the document's key for its rows
	order string // ORDER BY: two exports of one ledger are byte for byte equal
	id    bool   // has an identity id whose sequence import moves past the rows
}

// backupTables are the tables in the order import inserts them: a table
// comes after those it references. Sessions are not ledger data (and are
// secrets); deal_search is rebuilt by its triggers as rows go in.
var backupTables = []backupTable{
	{"summits", "id", true},
	{"countries", "code", false},
	{"users", "id", true},
	{"organizations", "id", true},
	{"priorities", "id", true},
	{"deals", "id", true},
	{"sources", "id", true},
	{"status_updates", "id", true},
	{"update_sources", "update_id, position", false},
	{"revisions", "id", true},
	{"slug_redirects", "entity, old_slug", false},
}

// dealRelations are the join tables written inside each deal under key,
// without their deal_id.
var dealRelations = []struct{ key, table, order string }{
	{"parties", "deal_parties", "country_code"},
	{"organizations", "deal_organizations", "organization_id"},
	{"priorities", "deal_priorities", "priority_id"},
}

// backupHeader is the document's first fields.
type backupHeader struct {
	Format        string    `json:"format"`
	Version       int       `json:"version"`
	SchemaVersion int64     `json:"schema_version"` // the last migration applied
	ExportedAt    time.Time `json:"exported_at"`
	WithSecrets   bool      `json:"with_secrets"` // users carry their password hashes
}

// Export writes the whole ledger to w as one JSON document: a header, then
// each table's rows in a fixed order, one row a line. Users' password hashes
// are left out unless withSecrets; sessions always are. It reads one
// snapshot, so a backup taken while editors work is consistent.
func (db *DB) Export(ctx context.Context, w io.Writer, withSecrets bool) error {
	tx, err := db.Pool.BeginTx(ctx, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly})
	if err != nil {
		return fmt.Errorf("postgres: export: %w", err)
	}
	defer tx.Rollback(ctx) //nolint:errcheck // read-only
	// Timestamps are written in UTC whatever the server's zone.
	if _, err := tx.Exec(ctx, "SET LOCAL TimeZone TO 'UTC'"); err != nil {
		return fmt.Errorf("postgres: export: %w", err)
	}
	h := backupHeader{Format: BackupFormat, Version: BackupVersion, ExportedAt: time.Now().UTC(), WithSecrets: withSecrets}
	if h.SchemaVersion, err = schemaVersion(ctx, tx); err != nil {
		return err
	}
	head, err := json.Marshal(h)
	if err != nil {
		return fmt.Errorf("postgres: export: %w", err)
	}
	bw := bufio.NewWriter(w)
	bw.Write(head[:len(head)-1]) //nolint:errcheck // bufio keeps the first error for Flush
	for _, t := range backupTables {
		fmt.Fprintf(bw, ",\n%q: [", t.name)
		if err := exportRows(ctx, tx, bw, exportSQL(t, withSecrets)); err != nil {
			return fmt.Errorf("postgres: export %s: %w", t.name, err)
		}
		bw.WriteString("\n]") //nolint:errcheck
	}
	bw.WriteString("\n}\n") //nolint:errcheck
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("postgres: export: write: %w", err)
	}
	return nil
}

// exportSQL selects table t's rows as JSON objects.
func exportSQL(t backupTable, withSecrets bool) string {
	row := "to_jsonb(x)"
	switch {
	case t.name == "users" && !withSecrets:
		row += " - 'password_hash'"
	case t.name == "deals":
		var rel []string
		for _, r := range dealRelations {
			rel = append(rel, fmt.Sprintf(
				"'%s', coalesce((SELECT jsonb_agg(to_jsonb(r) - 'deal_id' ORDER BY %s) FROM %s r WHERE r.deal_id = x.id), '[]')",
				r.key, r.order, r.table))
		}
		row += " || jsonb_build_object(" + strings.Join(rel, ", ") + ")"
	}
	return "SELECT " + row + " FROM " + t.name + " x ORDER BY " + t.order
}

// exportRows writes the JSON rows sql selects, compacted, one a line.
func exportRows(ctx context.Context, tx pgx.Tx, w *bufio.Writer, sql string) error {
	rows, err := tx.Query(ctx, sql)
	if err != nil {
		return err
	}
	defer rows.Close()
	var buf bytes.Buffer
	first := true
	for rows.Next() {
		var row []byte
		if err := rows.Scan(&row); err != nil {
			return err
		}
		buf.Reset()
		if err := json.Compact(&buf, row); err != nil {
			return err
		}
		if !first {
			w.WriteByte(',') //nolint:errcheck
		}
		first = false
		w.WriteByte('\n')    //nolint:errcheck
		w.Write(buf.Bytes()) //nolint:errcheck
	}
	return rows.Err()
}

// schemaVersion is the last migration applied to the database.
func schemaVersion(ctx context.Context, tx pgx.Tx) (int64, error) {
	var v int64
	err := tx.QueryRow(ctx, "SELECT coalesce(max(version_id), 0) FROM goose_db_version WHERE is_applied").Scan(&v)
	if err != nil {
		return 0, fmt.Errorf("postgres: schema version: %w", err)
	}
	return v, nil
}

// ImportResult says what Import loaded.
type ImportResult struct {
	Tables []ImportedTable // in the order they were loaded
	// NoPassword are the emails of users imported without a password hash;
	// each needs `ledger user set-password` before signing in.
	NoPassword []string
}

// Import loads a document written by Export into an empty, migrated
// database, in one transaction, keeping every id, so permalinks survive.
// A ledger that holds anything is refused with ECONFLICT; a document of
// another format, or from a newer schema, with EINVALID. Users without a
// password hash get one no password matches.
func (db *DB) Import(ctx context.Context, r io.Reader) (*ImportResult, error) {
	var doc map[string]json.RawMessage
	if err := json.NewDecoder(r).Decode(&doc); err != nil {
		return nil, ledger.Errorf(ledger.EINVALID, "The backup is not a JSON document: %v.", err)
	}
	var h backupHeader
	if err := decodeHeader(doc, &h); err != nil {
		return nil, err
	}
	tables := map[string][]json.RawMessage{}
	for _, t := range backupTables {
		raw, ok := doc[t.name]
		if !ok && h.SchemaVersion < sourcesSchema && (t.name == "sources" || t.name == "update_sources") {
			continue // made by upgradeSources below
		}
		if !ok {
			return nil, ledger.Errorf(ledger.EINVALID, "The backup has no %q.", t.name)
		}
		var rows []json.RawMessage
		if err := json.Unmarshal(raw, &rows); err != nil {
			return nil, ledger.Errorf(ledger.EINVALID, "The backup's %q is not a list of rows: %v.", t.name, err)
		}
		tables[t.name] = rows
		delete(doc, t.name)
	}
	if len(doc) > 0 {
		return nil, ledger.Errorf(ledger.EINVALID, "The backup has sections this ledger does not know (%s); import it with the version of ledger that wrote it.",
			strings.Join(slices.Sorted(maps.Keys(doc)), ", "))
	}
	if h.SchemaVersion < sourcesSchema {
		if err := upgradeSources(tables); err != nil {
			return nil, err
		}
	}
	res := &ImportResult{}
	var err error
	if tables["users"], res.NoPassword, err = fillPasswords(tables["users"]); err != nil {
		return nil, err
	}
	relations, err := splitDealRelations(tables["deals"])
	if err != nil {
		return nil, err
	}

	tx, err := db.Pool.Begin(ctx)
	if err != nil {
		return nil, fmt.Errorf("postgres: import: %w", err)
	}
	defer tx.Rollback(ctx) //nolint:errcheck // a no-op after commit
	current, err := schemaVersion(ctx, tx)
	if err != nil {
		return nil, err
	}
	if h.SchemaVersion > current {
		return nil, ledger.Errorf(ledger.EINVALID, "The backup was made by a newer ledger (schema %d; this database is at %d): upgrade ledger, then import.", h.SchemaVersion, current)
	}
	if err := refuseNonEmpty(ctx, tx); err != nil {
		return nil, err
	}
	for _, t := range backupTables {
		if err := insertRows(ctx, tx, t.name, tables[t.name]); err != nil {
			return nil, err
		}
		res.Tables = append(res.Tables, ImportedTable{t.name, len(tables[t.name])})
		if t.name == "deals" {
			for _, rel := range dealRelations {
				if err := insertRows(ctx, tx, rel.table, relations[rel.table]); err != nil {
					return nil, err
				}
				res.Tables = append(res.Tables, ImportedTable{rel.table, len(relations[rel.table])})
			}
		}
	}
	// New rows must not reuse an imported id.
	for _, t := range backupTables {
		if !t.id {
			continue
		}
		sql := fmt.Sprintf("SELECT setval(pg_get_serial_sequence('%[1]s', 'id'), max(id)) FROM %[1]s", t.name)
		if _, err := tx.Exec(ctx, sql); err != nil {
			return nil, fmt.Errorf("postgres: import: sequence of %s: %w", t.name, err)
		}
	}
	// A backup made before migration 00006 holds stage dates of an older
	// rule and no day of each deal's latest update: derive them as that
	// migration did. For a later backup nothing moves and nothing is written.
	if _, err := tx.Exec(ctx, "SELECT deals_derive_stage('stage date derived again on import: the day the deal entered its stage')"); err != nil {
		return nil, fmt.Errorf("postgres: import: derive stages: %w", err)
	}
	if err := tx.Commit(ctx); err != nil {
		return nil, fmt.Errorf("postgres: import: commit: %w", err)
	}
	return res, nil
}

// ImportedTable is how many rows Import inserted into one table.
type ImportedTable struct {
	Name string
	Rows int
}

// Rows returns how many rows Import inserted into table.
func (r *ImportResult) Rows(table string) int {
	for _, t := range r.Tables {
		if t.Name == table {
			return t.Rows
		}
	}
	return 0
}

// decodeHeader reads and checks the document's header fields, removing them from doc.
func decodeHeader(doc map[string]json.RawMessage, h *backupHeader) error {
	head := map[string]json.RawMessage{}
	for _, k := range []string{"format", "version", "schema_version", "exported_at", "with_secrets"} {
		if v, ok := doc[k]; ok {
			head[k] = v
			delete(doc, k)
		}
	}
	b, _ := json.Marshal(head) //nolint:errcheck // raw messages marshal
	if err := json.Unmarshal(b, h); err != nil {
		return ledger.Errorf(ledger.EINVALID, "The backup's header is malformed: %v.", err)
	}
	if h.Format != BackupFormat {
		return ledger.Errorf(ledger.EINVALID, "This is not a Summit Ledger backup (format %q, want %q).", h.Format, BackupFormat)
	}
	if h.Version != BackupVersion {
		return ledger.Errorf(ledger.EINVALID, "The backup is format version %d; this ledger reads version %d.", h.Version, BackupVersion)
	}
	return nil
}

// fillPasswords gives every user row without a password hash one that no
// password matches, and returns those users' emails.
func fillPasswords(users []json.RawMessage) ([]json.RawMessage, []string, error) {
	var missing []string
	for i, raw := range users {
		var u map[string]json.RawMessage
		if err := json.Unmarshal(raw, &u); err != nil {
			return nil, nil, ledger.Errorf(ledger.EINVALID, "The backup's user %d is not an object: %v.", i+1, err)
		}
		if _, ok := u["password_hash"]; ok {
			continue
		}
		var email string
		json.Unmarshal(u["email"], &email) //nolint:errcheck // a missing email fails the insert
		missing = append(missing, email)
		u["password_hash"], _ = json.Marshal(auth.UnusableHash()) //nolint:errcheck // a string marshals
		var err error
		if users[i], err = json.Marshal(u); err != nil {
			return nil, nil, fmt.Errorf("postgres: import: user %d: %w", i+1, err)
		}
	}
	return users, missing, nil
}

// splitDealRelations moves the join rows nested in each deal into rows of
// their own tables, each with its deal_id, and removes them from the deals.
func splitDealRelations(deals []json.RawMessage) (map[string][]json.RawMessage, error) {
	out := map[string][]json.RawMessage{}
	for i, raw := range deals {
		var d map[string]json.RawMessage
		if err := json.Unmarshal(raw, &d); err != nil {
			return nil, ledger.Errorf(ledger.EINVALID, "The backup's deal %d is not an object: %v.", i+1, err)
		}
		for _, rel := range dealRelations {
			var rows []map[string]json.RawMessage
			if v, ok := d[rel.key]; ok {
				if err := json.Unmarshal(v, &rows); err != nil {
					return nil, ledger.Errorf(ledger.EINVALID, "The backup's deal %d has malformed %s: %v.", i+1, rel.key, err)
				}
			}
			delete(d, rel.key)
			for _, row := range rows {
				row["deal_id"] = d["id"]
				b, err := json.Marshal(row)
				if err != nil {
					return nil, fmt.Errorf("postgres: import: deal %d %s: %w", i+1, rel.key, err)
				}
				out[rel.table] = append(out[rel.table], b)
			}
		}
		var err error
		if deals[i], err = json.Marshal(d); err != nil {
			return nil, fmt.Errorf("postgres: import: deal %d: %w", i+1, err)
		}
	}
	return out, nil
}

// refuseNonEmpty returns ECONFLICT naming the tables that hold rows.
func refuseNonEmpty(ctx context.Context, tx pgx.Tx) error {
	var full []string
	names := []string{}
	for _, t := range backupTables {
		names = append(names, t.name)
	}
	for _, rel := range dealRelations {
		names = append(names, rel.table)
	}
	for _, name := range names {
		var has bool
		if err := tx.QueryRow(ctx, "SELECT EXISTS (SELECT 1 FROM "+name+")").Scan(&has); err != nil {
			return fmt.Errorf("postgres: import: %s: %w", name, err)
		}
		if has {
			full = append(full, strings.ReplaceAll(name, "_", " "))
		}
	}
	if len(full) > 0 {
		return ledger.Errorf(ledger.ECONFLICT,
			"The ledger is not empty (it has %s): import loads a backup into an empty database only. Create a new database, point DATABASE_URL at it and import again.",
			strings.Join(full, ", "))
	}
	return nil
}

// insertRows inserts JSON rows into table in one statement, keeping their
// ids. Only the columns the rows name are written, so a backup from an
// older schema takes the defaults of columns added since; a field the
// table lacks is an error rather than data silently dropped.
// sourcesSchema is the migration that made sources records of their own.
const sourcesSchema = 3

// upgradeSources turns the one source each status update of an older
// backup carries in its own fields into sources and citations, as
// migration 00003 does for a live database: one address, one source, titled
// as first cited.
func upgradeSources(tables map[string][]json.RawMessage) error {
	ids := map[string]int64{}
	var sources, cites []json.RawMessage
	for i, raw := range tables["status_updates"] {
		var row map[string]json.RawMessage
		if err := json.Unmarshal(raw, &row); err != nil {
			return ledger.Errorf(ledger.EINVALID, "The backup's status_updates row %d is not an object: %v.", i+1, err)
		}
		var src struct {
			URL       string `json:"source_url"`
			Title     string `json:"source_title"`
			Publisher string `json:"source_publisher"`
		}
		if err := json.Unmarshal(raw, &src); err != nil || src.URL == "" {
			return ledger.Errorf(ledger.EINVALID, "The backup's status_updates row %d has no source.", i+1)
		}
		id, ok := ids[src.URL]
		if !ok {
			id = int64(len(ids) + 1)
			ids[src.URL] = id
			s, _ := json.Marshal(map[string]any{"id": id, "url": src.URL, "title": src.Title, "publisher": src.Publisher}) //nolint:errchkjson // plain map
			sources = append(sources, s)
		}
		c, _ := json.Marshal(map[string]any{"update_id": row["id"], "position": 0, "source_id": id}) //nolint:errchkjson // plain map
		cites = append(cites, c)
		for _, k := range []string{"source_url", "source_title", "source_publisher"} {
			delete(row, k)
		}
		out, _ := json.Marshal(row) //nolint:errchkjson // raw messages
		tables["status_updates"][i] = out
	}
	tables["sources"], tables["update_sources"] = sources, cites
	return nil
}

func insertRows(ctx context.Context, tx pgx.Tx, table string, rows []json.RawMessage) error {
	if len(rows) == 0 {
		return nil
	}
	cols, err := tableColumns(ctx, tx, table)
	if err != nil {
		return err
	}
	fields := map[string]bool{}
	for i, raw := range rows {
		var row map[string]json.RawMessage
		if err := json.Unmarshal(raw, &row); err != nil {
			return ledger.Errorf(ledger.EINVALID, "The backup's %s row %d is not an object: %v.", table, i+1, err)
		}
		for k := range row {
			if !slices.Contains(cols, k) {
				return ledger.Errorf(ledger.EINVALID, "The backup's %s have a field %q the table lacks; import it with the version of ledger that wrote it.", table, k)
			}
			fields[k] = true
		}
	}
	var use []string
	for _, c := range cols {
		if fields[c] {
			use = append(use, pgx.Identifier{c}.Sanitize())
		}
	}
	list := strings.Join(use, ", ")
	sql := "INSERT INTO " + table + " (" + list + ") OVERRIDING SYSTEM VALUE SELECT " + list +
		" FROM jsonb_populate_recordset(NULL::" + table + ", $1::jsonb)"
	var doc bytes.Buffer
	doc.WriteByte('[')
	for i, raw := range rows {
		if i > 0 {
			doc.WriteByte(',')
		}
		doc.Write(raw)
	}
	doc.WriteByte(']')
	if _, err := tx.Exec(ctx, sql, doc.String()); err != nil {
		return fmt.Errorf("postgres: import %s: %w", table, err)
	}
	return nil
}

// tableColumns lists table's writable columns in their order.
func tableColumns(ctx context.Context, tx pgx.Tx, table string) ([]string, error) {
	rows, err := tx.Query(ctx, `SELECT attname FROM pg_attribute
		WHERE attrelid = $1::regclass AND attnum > 0 AND NOT attisdropped AND attgenerated = ''
		ORDER BY attnum`, table)
	if err != nil {
		return nil, fmt.Errorf("postgres: import: columns of %s: %w", table, err)
	}
	cols, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return nil, fmt.Errorf("postgres: import: columns of %s: %w", table, err)
	}
	if len(cols) == 0 {
		return nil, errors.New("postgres: import: no table " + table)
	}
	return cols, nil
}
