package seed

import (
	"cmp"
	"context"
	"fmt"
	"maps"
	"math/big"
	"slices"
	"strings"
	"time"

	"summitledger/internal/ledger"
	"summitledger/internal/postgres"
)

// Actor is who the dataset's changes are recorded as.
var Actor = ledger.Actor{Name: "seed"}

// correctionReason is the reason given when the dataset corrects an update it made.
const correctionReason = "The dataset was corrected against its sources."

// removalReason is the reason given when a record the dataset made leaves it.
const removalReason = "Removed from the dataset: its sources do not support it."

// Report says what a Load did: records added, records brought in line with
// the dataset, and records left alone because someone else changed them.
type Report struct {
	Added, Changed, Kept []string
}

// Load writes the files into the store. A record it lacks is added; a
// record the dataset made and nobody else changed is brought in line with
// the files (a corrected update becomes a correction, a record no longer in
// the files is deleted with a reason); a record someone else changed is
// left alone and listed in Kept. Loading the same files twice changes
// nothing. The files must pass Check.
func Load(ctx context.Context, db *postgres.DB, files []File) (Report, error) {
	if ps := Check(files); len(ps) > 0 {
		return Report{}, fmt.Errorf("seed: %d problems in the dataset, the first: %s", len(ps), ps[0])
	}
	l := &loader{db: db, owned: map[string]map[int64]bool{},
		summits: map[string]int64{}, orgs: map[string]int64{}, prios: map[string]int64{}, deals: map[string]int64{}}
	var err error
	for _, entity := range []string{"deal", "priority", "organization"} {
		if l.owned[entity], err = db.SeedOwned(ctx, entity, Actor.Name); err != nil {
			return l.r, err
		}
	}
	steps := []func(context.Context, File) error{l.summit, l.countries, l.organizations, l.priorities}
	for _, step := range steps {
		for _, f := range files {
			if err := step(ctx, f); err != nil {
				return l.r, err
			}
		}
	}
	if err := l.dealsInOrder(ctx, files); err != nil {
		return l.r, err
	}
	return l.r, l.removeLeftovers(ctx)
}

type loader struct {
	db      *postgres.DB
	r       Report
	owned   map[string]map[int64]bool // entity → ids the dataset alone made and changed
	summits map[string]int64
	orgs    map[string]int64
	prios   map[string]int64 // country/slug
	deals   map[string]int64
}

func sources(f File) map[string]ledger.Source {
	out := make(map[string]ledger.Source, len(f.Sources))
	for _, s := range f.Sources {
		src := ledger.Source{URL: s.URL, Title: s.Title, Publisher: s.Publisher, Language: s.Language}
		src.PublishedOn, _ = optDate(s.PublishedOn) // Check has seen it parse
		out[s.Key] = src
	}
	return out
}

func (l *loader) summit(ctx context.Context, f File) error {
	s := f.Summit
	held, _ := optDate(s.HeldOn)
	id, err := l.db.EnsureSummit(ctx, ledger.Summit{Slug: s.Slug, Name: s.Name, HeldOn: held, City: s.City, Description: s.Description})
	if err != nil {
		return fmt.Errorf("seed: summit %s: %w", s.Slug, err)
	}
	l.summits[s.Slug] = id
	return nil
}

func (l *loader) countries(ctx context.Context, f File) error {
	for _, c := range f.Countries {
		err := l.db.EnsureCountry(ctx, ledger.Country{Code: c.Code, Slug: c.Slug, Name: c.Name, Capital: c.Capital,
			Leader: c.Leader, LeaderTitle: c.LeaderTitle, Summary: c.Summary})
		if err != nil {
			return fmt.Errorf("seed: country %s: %w", c.Code, err)
		}
	}
	return nil
}

func (l *loader) organizations(ctx context.Context, f File) error {
	for _, o := range f.Organizations {
		want := ledger.Organization{Slug: o.Slug, Name: o.Name, Kind: o.Kind, Description: o.Description}
		if o.CountryCode != nil {
			want.CountryCode = *o.CountryCode
		}
		name := "organization " + o.Slug
		have, err := l.db.OrganizationBySlug(ctx, o.Slug)
		switch {
		case ledger.ErrorCode(err) == ledger.ENOTFOUND:
			if err := l.db.CreateOrganization(ctx, Actor, &want); err != nil {
				return fmt.Errorf("seed: %s: %w", name, err)
			}
			l.orgs[o.Slug] = want.ID
			l.r.Added = append(l.r.Added, name)
			continue
		case err != nil:
			return fmt.Errorf("seed: %s: %w", name, err)
		}
		l.orgs[o.Slug] = have.ID
		if have.Name == want.Name && have.Kind == want.Kind && have.CountryCode == want.CountryCode && have.Description == want.Description {
			continue
		}
		if !l.owned["organization"][have.ID] {
			l.r.Kept = append(l.r.Kept, name)
			continue
		}
		want.ID, want.Slug, want.Version = have.ID, have.Slug, have.Version
		if err := l.db.UpdateOrganization(ctx, Actor, &want); err != nil {
			return fmt.Errorf("seed: %s: %w", name, err)
		}
		l.r.Changed = append(l.r.Changed, name)
	}
	return nil
}

func (l *loader) priorities(ctx context.Context, f File) error {
	srcs := sources(f)
	for _, p := range f.Priorities {
		key, name := p.Country+"/"+p.Slug, "priority "+p.Country+"/"+p.Slug
		src := srcs[p.Source]
		want := ledger.Priority{CountryCode: p.Country, Slug: p.Slug, Title: p.Title, Description: p.Description,
			Sector: ledger.Sector(p.Sector), Source: ledger.Source{URL: src.URL, Title: src.Title, Publisher: src.Publisher}}
		id, err := l.db.PriorityIDBySlug(ctx, p.Country, p.Slug)
		switch {
		case ledger.ErrorCode(err) == ledger.ENOTFOUND:
			if err := l.db.CreatePriority(ctx, Actor, &want); err != nil {
				return fmt.Errorf("seed: %s: %w", name, err)
			}
			l.prios[key] = want.ID
			l.r.Added = append(l.r.Added, name)
			continue
		case err != nil:
			return fmt.Errorf("seed: %s: %w", name, err)
		}
		l.prios[key] = id
		have, err := l.db.PriorityByID(ctx, id)
		if err != nil {
			return fmt.Errorf("seed: %s: %w", name, err)
		}
		if have.Title == want.Title && have.Description == want.Description && have.Sector == want.Sector &&
			have.Source == want.Source && !have.Deleted() {
			continue
		}
		if !l.owned["priority"][id] {
			l.r.Kept = append(l.r.Kept, name)
			continue
		}
		want.ID, want.Version = id, have.Version
		if err := l.db.UpdatePriority(ctx, Actor, &want); err != nil {
			return fmt.Errorf("seed: %s: %w", name, err)
		}
		l.r.Changed = append(l.r.Changed, name)
	}
	return nil
}

// dealsInOrder loads every file's deals, each umbrella deal before its parts.
func (l *loader) dealsInOrder(ctx context.Context, files []File) error {
	type item struct {
		f File
		d DealRecord
	}
	var pending []item
	for _, f := range files {
		for _, d := range f.Deals {
			pending = append(pending, item{f, d})
		}
	}
	for len(pending) > 0 {
		var later []item
		for _, it := range pending {
			if p := it.d.Parent; p != nil && l.deals[*p] == 0 {
				later = append(later, it)
				continue
			}
			if err := l.deal(ctx, it.f, it.d); err != nil {
				return err
			}
		}
		if len(later) == len(pending) {
			return fmt.Errorf("seed: deal %s: its parent never loads", later[0].d.Slug)
		}
		pending = later
	}
	return nil
}

// dealFrom is the deal a record describes, without id, slug or version.
func (l *loader) dealFrom(f File, d DealRecord) (ledger.Deal, error) {
	deal := ledger.Deal{Title: d.Title, Summary: d.Summary, Sector: ledger.Sector(d.Sector), ValueNote: d.ValueNote,
		SummitID: l.summits[f.Summit.Slug], CountsTowardTotal: d.CountsTowardTotal,
		Parties: slices.Sorted(slices.Values(d.Parties)), AnnouncedPrecision: ledger.Day}
	deal.AnnouncedOn, _ = optDate(d.AnnouncedOn)
	if d.AnnouncedPrecision != nil {
		deal.AnnouncedPrecision = ledger.Precision(*d.AnnouncedPrecision)
	}
	if d.ValueAmount != nil {
		cents, err := Cents(*d.ValueAmount)
		if err != nil {
			return deal, err
		}
		deal.Value = &ledger.Money{Cents: cents, Currency: *d.ValueCurrency}
	}
	if d.Parent != nil {
		deal.ParentID = l.deals[*d.Parent]
	}
	for _, o := range d.Organizations {
		deal.Organizations = append(deal.Organizations, ledger.DealOrganization{OrganizationID: l.orgs[o.Slug], Role: o.Role})
	}
	slices.SortFunc(deal.Organizations, func(a, b ledger.DealOrganization) int { return cmp.Compare(a.OrganizationID, b.OrganizationID) })
	for _, p := range d.Priorities {
		deal.PriorityIDs = append(deal.PriorityIDs, l.prios[p.Country+"/"+p.Slug])
	}
	slices.Sort(deal.PriorityIDs)
	return deal, nil
}

// sameDeal reports whether two deals have the same facts, whatever the
// order of their relations.
func sameDeal(a, b ledger.Deal) bool {
	norm := func(d ledger.Deal) ledger.Deal {
		d.Parties = slices.Sorted(slices.Values(d.Parties))
		d.Organizations = slices.Clone(d.Organizations)
		slices.SortFunc(d.Organizations, func(x, y ledger.DealOrganization) int { return cmp.Compare(x.OrganizationID, y.OrganizationID) })
		d.PriorityIDs = slices.Sorted(slices.Values(d.PriorityIDs))
		return d
	}
	a, b = norm(a), norm(b)
	return a.Title == b.Title && a.Summary == b.Summary && a.Sector == b.Sector && a.ValueNote == b.ValueNote &&
		a.SummitID == b.SummitID && a.ParentID == b.ParentID && a.CountsTowardTotal == b.CountsTowardTotal &&
		a.AnnouncedOn.Equal(b.AnnouncedOn) && a.AnnouncedPrecision == b.AnnouncedPrecision &&
		((a.Value == nil) == (b.Value == nil)) && (a.Value == nil || *a.Value == *b.Value) &&
		slices.Equal(a.Parties, b.Parties) && slices.Equal(a.Organizations, b.Organizations) &&
		slices.Equal(a.PriorityIDs, b.PriorityIDs)
}

func (l *loader) deal(ctx context.Context, f File, d DealRecord) error {
	name := "deal " + d.Slug
	want, err := l.dealFrom(f, d)
	if err != nil {
		return fmt.Errorf("seed: %s: %w", name, err)
	}
	updates, err := updatesFrom(f, d)
	if err != nil {
		return fmt.Errorf("seed: %s: %w", name, err)
	}
	id, err := l.db.DealIDBySlug(ctx, d.Slug)
	if ledger.ErrorCode(err) == ledger.ENOTFOUND {
		want.Slug = d.Slug
		if err := l.db.CreateDeal(ctx, Actor, &want); err != nil {
			return fmt.Errorf("seed: %s: %w", name, err)
		}
		l.deals[d.Slug] = want.ID
		l.r.Added = append(l.r.Added, name)
		return l.reconcileUpdates(ctx, name, want.ID, updates)
	} else if err != nil {
		return fmt.Errorf("seed: %s: %w", name, err)
	}
	l.deals[d.Slug] = id
	have, err := l.db.DealByID(ctx, id)
	if err != nil {
		return fmt.Errorf("seed: %s: %w", name, err)
	}
	if !l.owned["deal"][id] {
		if !sameDeal(*have, want) {
			l.r.Kept = append(l.r.Kept, name)
		}
		return nil
	}
	if !sameDeal(*have, want) {
		want.ID, want.Slug, want.Version = id, have.Slug, have.Version
		want.ChangeSources = updates[0].Sources // what announced the deal supports its facts
		if err := l.db.UpdateDeal(ctx, Actor, &want); err != nil {
			return fmt.Errorf("seed: %s: %w", name, err)
		}
		l.r.Changed = append(l.r.Changed, name)
	}
	return l.reconcileUpdates(ctx, name, id, updates)
}

// updatesFrom is the deal's timeline as the file gives it, in file order.
func updatesFrom(f File, d DealRecord) ([]ledger.StatusUpdate, error) {
	srcs := sources(f)
	out := make([]ledger.StatusUpdate, len(d.Updates))
	for i, u := range d.Updates {
		on, err := time.Parse(time.DateOnly, u.OccurredOn)
		if err != nil {
			return nil, fmt.Errorf("update %d: %w", i+1, err)
		}
		out[i] = ledger.StatusUpdate{Stage: ledger.Stage(u.Stage), OccurredOn: on,
			OccurredPrecision: ledger.Precision(u.Precision), Note: u.Note}
		for _, k := range u.Sources {
			out[i].Sources = append(out[i].Sources, srcs[k])
		}
	}
	return out, nil
}

// sameUpdate reports whether two updates say the same thing from the same sources.
func sameUpdate(a, b ledger.StatusUpdate) bool {
	urls := func(u ledger.StatusUpdate) []string {
		out := make([]string, len(u.Sources))
		for i, s := range u.Sources {
			out[i] = s.URL
		}
		return out
	}
	return a.Stage == b.Stage && a.OccurredOn.Equal(b.OccurredOn) && a.OccurredPrecision == b.OccurredPrecision &&
		a.Note == b.Note && slices.Equal(urls(a), urls(b))
}

// reconcileUpdates brings the deal's timeline in line with want: the
// latest word on each update the dataset logged is compared, in the order
// logged, with the file's update at that place; one that differs gets a
// correction, and updates the file adds are logged. The caller has checked
// that nobody else logged updates on the deal.
func (l *loader) reconcileUpdates(ctx context.Context, name string, dealID int64, want []ledger.StatusUpdate) error {
	all, err := l.db.UpdatesByDeal(ctx, dealID)
	if err != nil {
		return fmt.Errorf("seed: %s: %w", name, err)
	}
	// Chains: each original update with the latest correction of it.
	latest := map[int64]ledger.StatusUpdate{}
	root := map[int64]int64{}
	slices.SortFunc(all, func(a, b ledger.StatusUpdate) int { return cmp.Compare(a.ID, b.ID) })
	var roots []int64
	for _, u := range all {
		r := u.ID
		if u.CorrectsID != 0 {
			r = root[u.CorrectsID]
		} else {
			roots = append(roots, r)
		}
		root[u.ID], latest[r] = r, u
	}
	for i, w := range want {
		w.DealID = dealID
		if i < len(roots) {
			have := latest[roots[i]]
			if sameUpdate(have, w) {
				continue
			}
			w.CorrectsID, w.CorrectionReason = have.ID, correctionReason
		}
		if err := l.db.AddUpdate(ctx, Actor, &w); err != nil {
			return fmt.Errorf("seed: %s: update %d: %w", name, i+1, err)
		}
		if w.CorrectsID != 0 {
			l.r.Changed = append(l.r.Changed, fmt.Sprintf("%s: update %d corrected", name, i+1))
		}
	}
	if len(roots) > len(want) {
		l.r.Kept = append(l.r.Kept, fmt.Sprintf("%s: %d updates beyond the dataset's", name, len(roots)-len(want)))
	}
	return nil
}

// removeLeftovers deletes, with a reason, the deals and priorities the
// dataset made that are no longer in it and that nobody else changed.
func (l *loader) removeLeftovers(ctx context.Context) error {
	keep := func(m map[string]int64) map[int64]bool {
		out := map[int64]bool{}
		for _, id := range m {
			out[id] = true
		}
		return out
	}
	deals, prios := keep(l.deals), keep(l.prios)
	for _, id := range slices.Sorted(maps.Keys(l.owned["deal"])) {
		if deals[id] {
			continue
		}
		if err := l.db.DeleteDeal(ctx, Actor, id, removalReason); err != nil {
			return fmt.Errorf("seed: remove deal %d: %w", id, err)
		}
		l.r.Changed = append(l.r.Changed, fmt.Sprintf("deal %d removed", id))
	}
	for _, id := range slices.Sorted(maps.Keys(l.owned["priority"])) {
		if prios[id] {
			continue
		}
		if err := l.db.DeletePriority(ctx, Actor, id, removalReason); err != nil {
			return fmt.Errorf("seed: remove priority %d: %w", id, err)
		}
		l.r.Changed = append(l.r.Changed, fmt.Sprintf("priority %d removed", id))
	}
	return nil
}

// Cents parses a decimal amount in major units ("4200000000", "12.5") into hundredths.
func Cents(amount string) (int64, error) {
	r, ok := new(big.Rat).SetString(amount)
	if !ok || r.Sign() < 0 || strings.ContainsAny(amount, "eE/") {
		return 0, fmt.Errorf("invalid amount %q", amount)
	}
	r.Mul(r, big.NewRat(100, 1))
	if !r.IsInt() || !r.Num().IsInt64() {
		return 0, fmt.Errorf("amount %q has more than two decimals or is too large", amount)
	}
	return r.Num().Int64(), nil
}

func optDate(s *string) (time.Time, error) {
	if s == nil || *s == "" {
		return time.Time{}, nil
	}
	t, err := time.Parse(time.DateOnly, *s)
	if err != nil {
		return t, fmt.Errorf("seed: date %q: %w", *s, err)
	}
	return t, nil
}
