package postgres

import (
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"summitledger/internal/ledger"
)

// view is the day a read is made for: the zero view is today, from the stage
// each deal carries; a past day is recomputed from the append-only updates.
//
// The rule, also published on the methodology page: at the end of day D an
// update is in force when it happened on or before D (occurred_on <= D), is
// not a correction recorded after D, and has no correction recorded on or
// before D. A deal's stage and stage date as of D are derived from its
// in-force updates by deal_stage, the function that derives them for today
// (migrations/00006_deal_stage.sql, which repeats this rule). A deal
// recorded after D with no update in force is left out.
// "Recorded" is created_at, and a day ends at midnight UTC.
type view struct {
	asOf time.Time // zero: today
}

// current reports whether the view is today's.
func (v view) current() bool { return v.asOf.IsZero() }

// args returns the named arguments every view-aware query may use.
func (v view) args(more pgx.NamedArgs) pgx.NamedArgs {
	a := pgx.NamedArgs{}
	if !v.current() {
		a["as_of"] = v.asOf
		a["as_of_end"] = v.asOf.AddDate(0, 0, 1)
	}
	for k, x := range more {
		a[k] = x
	}
	return a
}

// visible is the condition under which the update aliased a belongs to the view.
func (v view) visible(a string) string {
	if v.current() {
		return "true"
	}
	return fmt.Sprintf("(%[1]s.occurred_on <= @as_of::date AND (%[1]s.corrects_id IS NULL OR %[1]s.created_at < @as_of_end::timestamptz))", a)
}

// correctedBy is the id of the correction of the update aliased a, as of the view; NULL when none.
func (v view) correctedBy(a string) string {
	if v.current() {
		return fmt.Sprintf("(SELECT cx.id FROM status_updates cx WHERE cx.corrects_id = %s.id)", a)
	}
	return fmt.Sprintf("(SELECT cx.id FROM status_updates cx WHERE cx.corrects_id = %s.id AND cx.created_at < @as_of_end::timestamptz)", a)
}

// liveDeal is the condition under which the deal aliased d is listed in the view.
func (v view) liveDeal(d string) string {
	if v.current() {
		return d + ".deleted_at IS NULL"
	}
	return fmt.Sprintf("(%[1]s.deleted_at IS NULL OR %[1]s.deleted_at >= @as_of_end::timestamptz)", d)
}

// stateCTE returns a common table expression
// "st(deal_id, stage, stage_on, latest_update_on)": every deal of the view
// for which where (a condition on deals d) holds, with its stage, the day
// it entered that stage and the day of its latest update, as of the view's
// day. Today's are those stored on the deal; a past day's come from
// deal_stage, the function that derives the stored ones
// (migrations/00006_deal_stage.sql).
func (v view) stateCTE(where string) string {
	if where == "" {
		where = "true"
	}
	if v.current() {
		return "st AS (SELECT d.id AS deal_id, d.stage, d.stage_on, d.latest_update_on FROM deals d WHERE d.deleted_at IS NULL AND " + where + ")"
	}
	// MATERIALIZED: the planner cannot estimate how many deals the lateral
	// keeps, and once guessed one, which made joins on st nested loops
	// over every deal (seconds at 10,000 deals instead of milliseconds).
	return `st AS MATERIALIZED (
	SELECT d.id AS deal_id, s.stage, s.stage_on, s.latest_update_on
	FROM deals d CROSS JOIN LATERAL deal_stage(d.id, @as_of::date) s
	WHERE ` + v.liveDeal("d") + `
	  AND (s.latest_update_on IS NOT NULL OR d.created_at < @as_of_end::timestamptz)
	  AND ` + where + `)`
}

// today is the view's day: the as-of day, or the current day in UTC.
func (v view) today() time.Time {
	if !v.current() {
		return v.asOf
	}
	y, m, d := time.Now().UTC().Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// sqlList writes stages as a SQL list of literals; stage keys are fixed
// identifiers from the ledger, never user input.
func sqlList(stages []ledger.Stage) string {
	q := make([]string, len(stages))
	for i, s := range stages {
		q[i] = "'" + string(s) + "'"
	}
	return "(" + strings.Join(q, ", ") + ")"
}

// announcedSQL is the day a deal counts as announced: its announced date, or,
// when the sources give none, the day of its earliest update.
const announcedSQL = `coalesce(d.announced_on, (SELECT min(sa.occurred_on) FROM status_updates sa WHERE sa.deal_id = d.id))`

// stageSQL is the stage of deal alias a on the view's day.
func (v view) stageSQL(a string) string {
	if v.current() {
		return a + ".stage"
	}
	return fmt.Sprintf(`(SELECT ds.stage FROM deal_stage(%s.id, @as_of::date) ds)`, a)
}

// inForce is the table of deal d's updates in force on the view's day
// (id, stage, occurred_on): deal_updates_in_force, of migration 00006.
func (v view) inForce(d string) string {
	if v.current() {
		return "deal_updates_in_force(" + d + ")"
	}
	return "deal_updates_in_force(" + d + ", @as_of::date)"
}

// umbrellaCountsSQL holds when an umbrella deal above d (its parent, or the
// parent's parent, and so on) has its own value counted: a deal stage, an
// amount, counted toward totals. A part of such an umbrella is in its
// value already; a part of an umbrella that is still a declaration counts
// on its own.
func (v view) umbrellaCountsSQL() string {
	return `EXISTS (
		WITH RECURSIVE up(id) AS (
			SELECT d.parent_id
			UNION
			SELECT pd.parent_id FROM deals pd JOIN up ON pd.id = up.id WHERE pd.parent_id IS NOT NULL
		)
		SELECT 1 FROM up JOIN deals ud ON ud.id = up.id
		WHERE ud.value_cents IS NOT NULL AND ud.counts_toward_total AND ` + v.liveDeal("ud") + `
		  AND ` + v.stageSQL("ud") + ` IN ` + sqlList(ledger.StagesOfClass(ledger.ClassDeal)) + `)`
}

// exclusionSQL is the reason a deal's value is left out of the committed
// total, "" when it counts, over st (its stage), d (deals) and sm (its
// summit, left-joined). The order of the checks is ledger.Exclusions'.
func (v view) exclusionSQL() string {
	return `CASE
	WHEN st.stage IN ` + sqlList(ledger.StagesOfClass(ledger.ClassDeclaration)) + ` THEN 'declaration'
	WHEN st.stage = 'stalled' THEN 'stalled'
	WHEN st.stage = 'cancelled' THEN 'cancelled'
	WHEN d.value_cents IS NULL THEN 'no_value'
	WHEN NOT d.counts_toward_total THEN 'not_counted'
	WHEN d.parent_id IS NOT NULL AND ` + v.umbrellaCountsSQL() + ` THEN 'child'
	WHEN sm.held_on IS NOT NULL AND ` + announcedSQL + ` < sm.held_on THEN 'before_summit'
	ELSE '' END`
}

// summaryCols are the columns scanSummary reads, over st, d and sm, for view v.
func (v view) summaryCols() string {
	return `d.id, d.slug, d.title, d.summary, d.sector, st.stage, st.stage_on,
	d.value_cents, d.value_currency, d.value_note, d.announced_on, coalesce(d.parent_id, 0), d.counts_toward_total,
	coalesce(sm.slug, ''), coalesce(sm.name, ''), sm.held_on, ` + v.exclusionSQL()
}

// summaryDest returns the scan destinations of summaryCols for d, and a
// function to call after the scan that fills the fields needing conversion.
func summaryDest(d *ledger.DealSummary, extra ...any) ([]any, func()) {
	var (
		sector, exclusion        string
		stage                    *string
		stageOn, announced, held *time.Time
		cents                    *int64
		currency                 *string
	)
	dest := []any{&d.ID, &d.Slug, &d.Title, &d.Summary, &sector, &stage, &stageOn,
		&cents, &currency, &d.ValueNote, &announced, &d.ParentID, &d.CountsTowardTotal,
		&d.Summit.Slug, &d.Summit.Name, &held, &exclusion}
	return append(dest, extra...), func() {
		d.Sector, d.Stage, d.Exclusion = ledger.Sector(sector), ledger.Stage(deref(stage)), ledger.Exclusion(exclusion)
		d.StageOn, d.AnnouncedOn, d.Summit.HeldOn = deref(stageOn), deref(announced), deref(held)
		if cents != nil {
			d.Value = &ledger.Money{Cents: *cents, Currency: deref(currency)}
		}
	}
}

// correctedNow holds when the update aliased a has been corrected, by
// today's records; past views use deal_updates_in_force instead.
func correctedNow(a string) string {
	return "EXISTS (SELECT 1 FROM status_updates cx WHERE cx.corrects_id = " + a + ".id)"
}
