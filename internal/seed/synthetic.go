package seed

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"

	"summitledger/internal/ledger"
	"summitledger/internal/postgres"
)

// SyntheticPrefix starts the slug of every synthetic deal and organization,
// so that they are easy to tell apart (and to find) in a database.
const SyntheticPrefix = "synthetic-"

// SyntheticPublisher is the publisher named by every synthetic source; the
// source titles start with "Synthetic:" and the URLs are on example.org.
const SyntheticPublisher = "Synthetic data (example.org)"

// SyntheticStats says what one Synthetic run added.
type SyntheticStats struct {
	Deals, Updates, Organizations int
	Elapsed                       time.Duration
}

// Synthetic adds n made-up deals for benchmarks and tests: spread over the
// countries, sectors, summits and organizations already in the store (load
// the C5+1 dataset first), with values, some umbrella deals and children,
// a few not counted toward totals, and 6 to 14 dated status updates each
// (about 10) that follow plausible stage paths. It adds about 60 synthetic
// organizations the first time.
//
// Each run adds n more deals (their slugs are "synthetic-<id>-…", so runs
// never collide); nothing is replaced. Everything is written in one
// transaction with COPY, then each deal's stage, stage_on and latest_update_on are derived
// from its updates by the function a single update uses (deal_stage, in
// migrations/00006_deal_stage.sql), in one set-based UPDATE. The same r seed gives the same data.
func Synthetic(ctx context.Context, db *postgres.DB, n int, r *rand.Rand) (SyntheticStats, error) {
	start := time.Now()
	var st SyntheticStats
	if n <= 0 {
		return st, ledger.Errorf(ledger.EINVALID, "The number of synthetic deals must be positive.")
	}
	tx, err := db.Pool.Begin(ctx)
	if err != nil {
		return st, fmt.Errorf("seed: synthetic: begin: %w", err)
	}
	defer tx.Rollback(ctx) //nolint:errcheck // a no-op after commit

	cat, err := loadCatalog(ctx, tx)
	if err != nil {
		return st, err
	}
	if st.Organizations, err = ensureSyntheticOrgs(ctx, tx, cat); err != nil {
		return st, err
	}

	dealIDs, err := reserveIDs(ctx, tx, "deals", n)
	if err != nil {
		return st, err
	}
	today := time.Now().UTC().Truncate(24 * time.Hour)
	g := &synthGen{r: r, cat: cat, today: today}
	for i, id := range dealIDs {
		g.deal(id, i)
	}
	updateIDs, err := reserveIDs(ctx, tx, "status_updates", len(g.updates))
	if err != nil {
		return st, err
	}
	g.numberUpdates(updateIDs)
	sourceIDs, err := reserveIDs(ctx, tx, "sources", len(g.updates))
	if err != nil {
		return st, err
	}
	updates, sources, cites := g.updateRows(sourceIDs) // before g.revisions is read: it adds the updates' revisions

	copies := []struct {
		table string
		cols  []string
		rows  [][]any
	}{
		{"deals", []string{"id", "slug", "title", "summary", "sector", "value_cents", "value_currency", "value_note",
			"announced_on", "summit_id", "parent_id", "counts_toward_total", "last_verified_on", "created_at", "updated_at"}, g.deals},
		{"deal_parties", []string{"deal_id", "country_code"}, g.parties},
		{"deal_organizations", []string{"deal_id", "organization_id", "role"}, g.orgs},
		{"deal_priorities", []string{"deal_id", "priority_id"}, g.prios},
		{"status_updates", []string{"id", "deal_id", "stage", "occurred_on", "note",
			"author_name", "corrects_id", "correction_reason", "created_at"}, updates},
		{"sources", []string{"id", "url", "title", "publisher", "published_on", "language", "created_at"}, sources},
		{"update_sources", []string{"update_id", "position", "source_id"}, cites},
		{"revisions", []string{"entity", "entity_id", "action", "actor_name", "reason", "after", "created_at"}, g.revisions},
	}
	// The search triggers would rebuild a deal's document once per update
	// (a hundred thousand times for 10,000 deals, most of the load time), so
	// they are off during the copy, inside this transaction only, and each
	// new deal's document is built once afterwards by the same function.
	if _, err := tx.Exec(ctx, `ALTER TABLE deals DISABLE TRIGGER deals_search;
		ALTER TABLE status_updates DISABLE TRIGGER status_updates_search;
		ALTER TABLE deal_parties DISABLE TRIGGER deal_parties_search;
		ALTER TABLE deal_organizations DISABLE TRIGGER deal_organizations_search`); err != nil {
		return st, fmt.Errorf("seed: synthetic: pause search triggers: %w", err)
	}
	for _, c := range copies {
		if _, err := tx.CopyFrom(ctx, pgx.Identifier{c.table}, c.cols, pgx.CopyFromRows(c.rows)); err != nil {
			return st, fmt.Errorf("seed: synthetic: copy %s: %w", c.table, err)
		}
	}
	if _, err := tx.Exec(ctx, `ALTER TABLE deals ENABLE TRIGGER deals_search;
		ALTER TABLE status_updates ENABLE TRIGGER status_updates_search;
		ALTER TABLE deal_parties ENABLE TRIGGER deal_parties_search;
		ALTER TABLE deal_organizations ENABLE TRIGGER deal_organizations_search`); err != nil {
		return st, fmt.Errorf("seed: synthetic: resume search triggers: %w", err)
	}
	if _, err := tx.Exec(ctx, `SELECT deal_search_refresh(id) FROM unnest($1::bigint[]) AS id`, dealIDs); err != nil {
		return st, fmt.Errorf("seed: synthetic: search documents: %w", err)
	}
	// The rule of DealSetStage, for every new deal at once.
	_, err = tx.Exec(ctx, `
		UPDATE deals d SET (stage, stage_on, latest_update_on) = (SELECT s.stage, s.stage_on, s.latest_update_on FROM deal_stage(d.id) s)
		WHERE d.id = ANY($1)`, dealIDs)
	if err != nil {
		return st, fmt.Errorf("seed: synthetic: derive stages: %w", err)
	}
	if err := tx.Commit(ctx); err != nil {
		return st, fmt.Errorf("seed: synthetic: commit: %w", err)
	}
	// Fresh statistics, so that the planner knows the tables grew before
	// autovacuum notices (benchmarks run right after this).
	if _, err := db.Pool.Exec(ctx, `ANALYZE deals, deal_parties, deal_organizations, deal_priorities, deal_search, status_updates, sources, update_sources, revisions`); err != nil {
		return st, fmt.Errorf("seed: synthetic: analyze: %w", err)
	}
	st.Deals, st.Updates, st.Elapsed = n, len(g.updates), time.Since(start)
	return st, nil
}

// catalog is what synthetic deals refer to.
type catalog struct {
	countries  []string // the Central Asian codes; "US" is added separately
	names      map[string]string
	hasUS      bool
	summits    []int64
	orgs       []int64
	priorities map[string][]int64 // by country code + "/" + sector, and by country code alone
}

func loadCatalog(ctx context.Context, tx pgx.Tx) (*catalog, error) {
	c := &catalog{names: map[string]string{}, priorities: map[string][]int64{}}
	rows, err := tx.Query(ctx, `SELECT code, name FROM countries ORDER BY code`)
	if err != nil {
		return nil, fmt.Errorf("seed: synthetic: countries: %w", err)
	}
	for rows.Next() {
		var code, name string
		if err := rows.Scan(&code, &name); err != nil {
			return nil, fmt.Errorf("seed: synthetic: countries: %w", err)
		}
		c.names[code] = name
		if code == "US" {
			c.hasUS = true
		} else {
			c.countries = append(c.countries, code)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("seed: synthetic: countries: %w", err)
	}
	if len(c.countries) == 0 {
		return nil, ledger.Errorf(ledger.EINVALID, "No countries: load the C5+1 dataset first (ledger seed).")
	}
	if c.summits, err = ids(ctx, tx, `SELECT id FROM summits ORDER BY held_on DESC NULLS LAST, id`); err != nil {
		return nil, err
	}
	rows, err = tx.Query(ctx, `SELECT id, country_code, sector FROM priorities WHERE deleted_at IS NULL ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("seed: synthetic: priorities: %w", err)
	}
	for rows.Next() {
		var id int64
		var code, sector string
		if err := rows.Scan(&id, &code, &sector); err != nil {
			return nil, fmt.Errorf("seed: synthetic: priorities: %w", err)
		}
		c.priorities[code+"/"+sector] = append(c.priorities[code+"/"+sector], id)
		c.priorities[code] = append(c.priorities[code], id)
	}
	return c, rows.Err()
}

func ids(ctx context.Context, tx pgx.Tx, sql string, args ...any) ([]int64, error) {
	rows, err := tx.Query(ctx, sql, args...)
	if err != nil {
		return nil, fmt.Errorf("seed: synthetic: %w", err)
	}
	out, err := pgx.CollectRows(rows, pgx.RowTo[int64])
	if err != nil {
		return nil, fmt.Errorf("seed: synthetic: %w", err)
	}
	return out, nil
}

// reserveIDs takes n values from table's identity sequence, so that rows
// can refer to each other before they are copied in.
func reserveIDs(ctx context.Context, tx pgx.Tx, table string, n int) ([]int64, error) {
	return ids(ctx, tx, `SELECT nextval(pg_get_serial_sequence($1, 'id')) FROM generate_series(1, $2)`, table, n)
}

var orgFirst = []string{"Steppe", "Pamir", "Tian Shan", "Caspian", "Silk Road", "Aral", "Fergana", "Altai", "Karakum", "Syr Darya",
	"Great Lakes", "Atlantic", "Prairie", "Cascade", "Liberty", "Frontier"}
var orgSecond = []struct{ name, kind string }{
	{"Rail Logistics", "company"}, {"Hydro", "company"}, {"Minerals", "company"}, {"Capital Partners", "fund"},
	{"Development Bank", "bank"}, {"Telecom", "company"}, {"Energy", "company"}, {"Export Agency", "agency"},
}

// ensureSyntheticOrgs adds the synthetic organizations the store lacks and
// puts every organization's id in the catalog.
func ensureSyntheticOrgs(ctx context.Context, tx pgx.Tx, c *catalog) (int, error) {
	var slugs, names, kinds []string
	for i, a := range orgFirst {
		for j, b := range orgSecond {
			if (i+j)%2 == 1 { // half the combinations: about 60 organizations
				continue
			}
			name := a + " " + b.name
			slugs, names, kinds = append(slugs, SyntheticPrefix+ledger.Slugify(name)), append(names, name), append(kinds, b.kind)
		}
	}
	added, err := ids(ctx, tx, `
		INSERT INTO organizations (slug, name, kind, description)
		SELECT s, n, k, 'Synthetic organization, made up for benchmarks and tests.'
		FROM unnest($1::text[], $2::text[], $3::text[]) AS x(s, n, k)
		ON CONFLICT (slug) DO NOTHING
		RETURNING id`, slugs, names, kinds)
	if err != nil {
		return 0, err
	}
	if len(added) > 0 {
		_, err = tx.Exec(ctx, `
			INSERT INTO revisions (entity, entity_id, action, actor_name, reason, after)
			SELECT 'organization', o.id, 'create', 'synthetic', 'synthetic data',
			       jsonb_build_object('ID', o.id, 'Slug', o.slug, 'Name', o.name, 'Kind', o.kind)
			FROM organizations o WHERE o.id = ANY($1)`, added)
		if err != nil {
			return 0, fmt.Errorf("seed: synthetic: organization revisions: %w", err)
		}
	}
	if c.orgs, err = ids(ctx, tx, `SELECT id FROM organizations ORDER BY id`); err != nil {
		return 0, err
	}
	return len(added), nil
}

// synthGen builds the rows of the synthetic deals.
type synthGen struct {
	r     *rand.Rand
	cat   *catalog
	today time.Time

	deals, parties, orgs, prios, revisions [][]any
	updates                                []synthUpdate
	umbrellas                              []int64 // deals that later ones may belong to
}

type synthUpdate struct {
	deal     int64
	stage    ledger.Stage
	on       time.Time
	note     string
	title    string
	corrects int // index into updates of the update this one corrects, or -1
	id       int64
}

// What deals are about, per sector: the object of the title and the notes.
var subjects = map[ledger.Sector][]string{
	"minerals":   {"tungsten concentrate offtake", "lithium brine exploration", "rare earth processing plant", "copper smelter expansion", "uranium supply contract", "graphite mine"},
	"energy":     {"hydropower plant", "solar park", "wind farm", "gas pipeline upgrade", "high-voltage power line", "small modular reactor study"},
	"transport":  {"locomotive purchase", "rail corridor upgrade", "freight terminal", "wide-body aircraft order", "Trans-Caspian shipping route", "highway concession"},
	"technology": {"data centre", "cloud services agreement", "AI research lab", "semiconductor packaging plant", "e-government platform"},
	"finance":    {"investment fund", "credit line for small firms", "infrastructure bond", "export credit guarantee", "sovereign wealth co-investment"},
	"telecom":    {"satellite internet service", "fibre backbone", "5G network rollout", "undersea cable link"},
	"trade":      {"agricultural export quota", "cotton supply agreement", "trade facilitation centre", "pharmaceutical supply deal"},
	"security":   {"border security programme", "counter-narcotics training", "demining programme"},
	"education":  {"university partnership", "English teaching programme", "engineering scholarship scheme"},
	"other":      {"tourism development plan", "water management programme", "public health laboratory"},
}

var sectorWeights = []struct {
	s ledger.Sector
	w int
}{{"minerals", 20}, {"energy", 18}, {"transport", 16}, {"technology", 10}, {"finance", 10}, {"telecom", 7}, {"trade", 9}, {"security", 4}, {"education", 3}, {"other", 3}}

// next says where a deal at stage s may go; listed twice means more likely.
var next = map[ledger.Stage][]ledger.Stage{
	"proposed":   {"proposed", "announced", "announced", "announced", "stalled"},
	"announced":  {"announced", "announced", "agreed", "agreed", "agreed", "stalled", "cancelled"},
	"agreed":     {"agreed", "agreed", "contracted", "contracted", "stalled"},
	"contracted": {"contracted", "under_way", "under_way", "under_way", "stalled"},
	"under_way":  {"under_way", "under_way", "under_way", "delivered", "stalled"},
	"delivered":  {"delivered"},
	"stalled":    {"stalled", "announced", "agreed", "contracted", "cancelled"},
	"cancelled":  {"cancelled"},
}

var notes = map[ledger.Stage][]string{
	"proposed":   {"Officials in %[2]s raised the %[1]s with U.S. counterparts.", "The %[1]s was put forward as a priority for %[2]s."},
	"announced":  {"Leaders announced the %[1]s in %[2]s.", "A letter of interest on the %[1]s was published.", "Talks on the %[1]s continued; ministers met in %[2]s."},
	"agreed":     {"A memorandum of understanding on the %[1]s was signed in %[2]s.", "A framework agreement for the %[1]s was initialled."},
	"contracted": {"A binding contract for the %[1]s was signed; financing was confirmed.", "The firm order for the %[1]s was placed."},
	"under_way":  {"Work on the %[1]s began; the first tranche was disbursed.", "Deliveries for the %[1]s started in %[2]s.", "Construction of the %[1]s progressed on schedule."},
	"delivered":  {"The %[1]s was completed as committed.", "Final deliveries for the %[1]s were made."},
	"stalled":    {"No visible progress on the %[1]s; negotiations were reported paused.", "The %[1]s was blocked pending financing."},
	"cancelled":  {"The %[1]s was withdrawn by its sponsors.", "The %[1]s was abandoned after talks failed."},
}

var roles = []string{"buyer", "supplier", "investor", "financier", "partner", "sponsor"}

func (g *synthGen) pick(list []string) string { return list[g.r.IntN(len(list))] }

func (g *synthGen) sector() ledger.Sector {
	total := 0
	for _, x := range sectorWeights {
		total += x.w
	}
	n := g.r.IntN(total)
	for _, x := range sectorWeights {
		if n < x.w {
			return x.s
		}
		n -= x.w
	}
	return "other"
}

// deal adds the rows of one deal: the deal, its relations, its updates and
// its creation revision.
func (g *synthGen) deal(id int64, i int) {
	sector := g.sector()
	subject := g.pick(subjects[sector])
	country := g.cat.countries[g.r.IntN(len(g.cat.countries))]
	title := fmt.Sprintf("%s %s", g.cat.names[country], subject)
	if g.r.IntN(3) == 0 {
		title += " " + strconv.Itoa(2025+g.r.IntN(3))
	}
	title += " (#" + strconv.FormatInt(id, 10) + ")"
	slug := SyntheticPrefix + strconv.FormatInt(id, 10) + "-" + ledger.Slugify(title)
	if len(slug) > 80 {
		slug = slug[:80]
	}
	slug = trimDash(slug)

	var cents *int64
	var currency *string
	note := ""
	if g.r.IntN(10) < 8 {
		// Log-uniform between one million and ten billion: many small deals, a few huge ones.
		v := int64(math.Pow(10, 6+4*g.r.Float64())) / 1000 * 1000 * 100
		cur := "USD"
		if g.r.IntN(20) == 0 {
			cur = "EUR"
		}
		cents, currency = &v, &cur
		if g.r.IntN(8) == 0 {
			note = "Reported as an upper bound; the final figure depends on financing."
		}
	}
	counts := g.r.IntN(30) != 0
	var parent *int64
	if len(g.umbrellas) > 0 && g.r.IntN(12) == 0 {
		p := g.umbrellas[g.r.IntN(len(g.umbrellas))]
		parent = &p
		note = "Part of an umbrella package; counted with it."
		counts = false
	} else if g.r.IntN(15) == 0 {
		g.umbrellas = append(g.umbrellas, id)
	}
	var summit *int64
	if len(g.cat.summits) > 0 && g.r.IntN(10) < 8 {
		s := g.cat.summits[0]
		if len(g.cat.summits) > 1 && g.r.IntN(5) == 0 {
			s = g.cat.summits[1+g.r.IntN(len(g.cat.summits)-1)]
		}
		summit = &s
	}

	// The path: a first update between September 2024 and March 2026, then
	// one every 3 to 40 days, never after today.
	first := time.Date(2024, 9, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, g.r.IntN(570))
	stage := ledger.StageAnnounced
	if g.r.IntN(5) == 0 {
		stage = ledger.StageProposed
	}
	on := first
	count := 6 + g.r.IntN(9)
	for k := 0; k < count && (k == 0 || !on.After(g.today)); k++ {
		if k > 0 {
			stage = ledger.Stage(g.pickStage(next[stage]))
		}
		u := synthUpdate{deal: id, stage: stage, on: on, title: title, corrects: -1,
			note: fmt.Sprintf(notes[stage][g.r.IntN(len(notes[stage]))], subject, g.cat.names[country])}
		// About one update in a hundred corrects the one before it.
		if k > 1 && g.r.IntN(100) == 0 {
			u.corrects = len(g.updates) - 1
			u.on = g.updates[len(g.updates)-1].on
		}
		g.updates = append(g.updates, u)
		on = on.AddDate(0, 0, 3+g.r.IntN(38))
	}
	var announced *time.Time
	if g.r.IntN(10) != 0 {
		a := first
		announced = &a
	}
	var verified *time.Time
	if g.r.IntN(2) == 0 {
		v := g.updates[len(g.updates)-1].on
		verified = &v
	}
	created := first.Add(9 * time.Hour)
	g.deals = append(g.deals, []any{id, slug, title,
		fmt.Sprintf("Synthetic record %d, made up for benchmarks and tests: the %s in %s.", i+1, subject, g.cat.names[country]),
		string(sector), cents, currency, note, announced, summit, parent, counts, verified, created, created})

	g.parties = append(g.parties, []any{id, country})
	if g.cat.hasUS && g.r.IntN(10) < 7 {
		g.parties = append(g.parties, []any{id, "US"})
	}
	if g.r.IntN(8) == 0 {
		other := g.cat.countries[g.r.IntN(len(g.cat.countries))]
		if other != country {
			g.parties = append(g.parties, []any{id, other})
		}
	}
	seen := map[int64]bool{}
	for range 1 + g.r.IntN(3) {
		o := g.cat.orgs[g.r.IntN(len(g.cat.orgs))]
		if !seen[o] {
			seen[o] = true
			g.orgs = append(g.orgs, []any{id, o, g.pick(roles)})
		}
	}
	prios := g.cat.priorities[country+"/"+string(sector)]
	if len(prios) == 0 && g.r.IntN(3) == 0 {
		prios = g.cat.priorities[country]
	}
	if len(prios) > 0 {
		g.prios = append(g.prios, []any{id, prios[g.r.IntN(len(prios))]})
	}
	after, _ := json.Marshal(map[string]any{"ID": id, "Slug": slug, "Title": title, "Sector": sector}) //nolint:errchkjson // plain map
	g.revisions = append(g.revisions, []any{"deal", id, "create", "synthetic", "synthetic data", after, created})
}

func (g *synthGen) pickStage(list []ledger.Stage) ledger.Stage { return list[g.r.IntN(len(list))] }

// numberUpdates gives the updates their reserved ids, in order.
func (g *synthGen) numberUpdates(ids []int64) {
	for i := range g.updates {
		g.updates[i].id = ids[i]
	}
}

// updateRows returns the updates' rows, a source for each (with the ids
// given) and the rows that cite them, and adds the updates' revisions.
func (g *synthGen) updateRows(sourceIDs []int64) (rows, sources, cites [][]any) {
	rows = make([][]any, len(g.updates))
	sources = make([][]any, len(g.updates))
	cites = make([][]any, len(g.updates))
	for i, u := range g.updates {
		var corrects *int64
		reason := ""
		action := "create"
		if u.corrects >= 0 {
			c := g.updates[u.corrects].id
			corrects, reason, action = &c, "The earlier report named the wrong stage.", "correct"
		}
		created := u.on.Add(10 * time.Hour)
		if created.After(time.Now()) {
			created = time.Now()
		}
		stageLabel := u.stage.Label()
		rows[i] = []any{u.id, u.deal, string(u.stage), u.on, u.note, "synthetic", corrects, reason, created}
		sources[i] = []any{sourceIDs[i], fmt.Sprintf("https://example.org/synthetic/deals/%d/updates/%d", u.deal, u.id),
			"Synthetic: " + stageLabel + " — " + u.title, SyntheticPublisher, u.on, "en", created}
		cites[i] = []any{u.id, int16(0), sourceIDs[i]}
		after, _ := json.Marshal(map[string]any{"ID": u.id, "DealID": u.deal, "Stage": u.stage, "OccurredOn": u.on.Format(time.DateOnly)}) //nolint:errchkjson // plain map
		g.revisions = append(g.revisions, []any{"status_update", u.id, action, "synthetic", reason, after, created})
	}
	return rows, sources, cites
}

func trimDash(s string) string {
	for len(s) > 0 && s[len(s)-1] == '-' {
		s = s[:len(s)-1]
	}
	return s
}
