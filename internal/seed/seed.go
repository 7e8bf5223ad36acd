// Package seed loads the C5+1 dataset, taken from its source article, into the store.
package seed

import (
	"context"
	_ "embed"
	"encoding/json"
	"fmt"
	"math/big"
	"time"

	"summitledger/internal/ledger"
	"summitledger/internal/postgres"
)

//go:embed c5plus1.json
var c5plus1 []byte

// Dataset is the shape of a seed file: every record cites Source.
type Dataset struct {
	Source struct {
		URL         string `json:"url"`
		Title       string `json:"title"`
		Publisher   string `json:"publisher"`
		PublishedOn string `json:"published_on"`
	} `json:"source"`
	Summits []struct {
		Slug        string  `json:"slug"`
		Name        string  `json:"name"`
		HeldOn      *string `json:"held_on"`
		City        string  `json:"city"`
		Description string  `json:"description"`
	} `json:"summits"`
	Countries []struct {
		Code        string `json:"code"`
		Slug        string `json:"slug"`
		Name        string `json:"name"`
		Capital     string `json:"capital"`
		Leader      string `json:"leader"`
		LeaderTitle string `json:"leader_title"`
		Summary     string `json:"summary"`
	} `json:"countries"`
	Organizations []struct {
		Slug        string `json:"slug"`
		Name        string `json:"name"`
		Kind        string `json:"kind"`
		CountryCode string `json:"country_code"`
		Description string `json:"description"`
	} `json:"organizations"`
	Priorities []struct {
		Country     string `json:"country"`
		Slug        string `json:"slug"`
		Title       string `json:"title"`
		Description string `json:"description"`
		Sector      string `json:"sector"`
	} `json:"priorities"`
	Deals []struct {
		Slug              string   `json:"slug"`
		Title             string   `json:"title"`
		Summary           string   `json:"summary"`
		Sector            string   `json:"sector"`
		Summit            string   `json:"summit"`
		AnnouncedOn       *string  `json:"announced_on"`
		ValueAmount       *string  `json:"value_amount"`
		ValueCurrency     *string  `json:"value_currency"`
		ValueNote         string   `json:"value_note"`
		Parent            *string  `json:"parent"`
		CountsTowardTotal bool     `json:"counts_toward_total"`
		Parties           []string `json:"parties"`
		Organizations     []struct {
			Slug string `json:"slug"`
			Role string `json:"role"`
		} `json:"organizations"`
		Priorities []struct {
			Country string `json:"country"`
			Slug    string `json:"slug"`
		} `json:"priorities"`
		Updates []struct {
			Stage      string `json:"stage"`
			OccurredOn string `json:"occurred_on"`
			Note       string `json:"note"`
		} `json:"updates"`
	} `json:"deals"`
}

// C5plus1 returns the embedded C5+1 2025 dataset.
func C5plus1() (*Dataset, error) {
	var d Dataset
	if err := json.Unmarshal(c5plus1, &d); err != nil {
		return nil, fmt.Errorf("seed: parse c5plus1.json: %w", err)
	}
	return &d, nil
}

// Load writes every record of d that the store lacks, matched by slug; a
// second run changes nothing.
func Load(ctx context.Context, db *postgres.DB, d *Dataset) error {
	actor := ledger.Actor{Name: "seed"}
	src := ledger.Source{URL: d.Source.URL, Title: d.Source.Title, Publisher: d.Source.Publisher}
	summits := map[string]int64{}
	for _, s := range d.Summits {
		held, err := optDate(s.HeldOn)
		if err != nil {
			return err
		}
		id, err := db.EnsureSummit(ctx, ledger.Summit{Slug: s.Slug, Name: s.Name, HeldOn: held, City: s.City, Description: s.Description})
		if err != nil {
			return fmt.Errorf("seed: summit %s: %w", s.Slug, err)
		}
		summits[s.Slug] = id
	}
	for _, c := range d.Countries {
		if err := db.EnsureCountry(ctx, ledger.Country(c)); err != nil {
			return fmt.Errorf("seed: country %s: %w", c.Code, err)
		}
	}
	orgs := map[string]int64{}
	for _, o := range d.Organizations {
		org := ledger.Organization{Slug: o.Slug, Name: o.Name, Kind: o.Kind, CountryCode: o.CountryCode, Description: o.Description}
		id, err := db.OrganizationIDBySlug(ctx, o.Slug)
		if ledger.ErrorCode(err) == ledger.ENOTFOUND {
			err = db.CreateOrganization(ctx, actor, &org)
			id = org.ID
		}
		if err != nil {
			return fmt.Errorf("seed: organization %s: %w", o.Slug, err)
		}
		orgs[o.Slug] = id
	}
	prios := map[string]int64{}
	for _, p := range d.Priorities {
		key := p.Country + "/" + p.Slug
		pr := ledger.Priority{CountryCode: p.Country, Slug: p.Slug, Title: p.Title, Description: p.Description,
			Sector: ledger.Sector(p.Sector), Source: src}
		id, err := db.PriorityIDBySlug(ctx, p.Country, p.Slug)
		if ledger.ErrorCode(err) == ledger.ENOTFOUND {
			err = db.CreatePriority(ctx, actor, &pr)
			id = pr.ID
		}
		if err != nil {
			return fmt.Errorf("seed: priority %s: %w", key, err)
		}
		prios[key] = id
	}
	deals := map[string]int64{}
	for _, x := range d.Deals {
		id, err := db.DealIDBySlug(ctx, x.Slug)
		if err == nil {
			deals[x.Slug] = id
			continue
		} else if ledger.ErrorCode(err) != ledger.ENOTFOUND {
			return fmt.Errorf("seed: deal %s: %w", x.Slug, err)
		}
		deal := ledger.Deal{Slug: x.Slug, Title: x.Title, Summary: x.Summary, Sector: ledger.Sector(x.Sector),
			ValueNote: x.ValueNote, SummitID: summits[x.Summit], CountsTowardTotal: x.CountsTowardTotal,
			Parties: x.Parties}
		if deal.AnnouncedOn, err = optDate(x.AnnouncedOn); err != nil {
			return err
		}
		if x.ValueAmount != nil {
			cents, err := Cents(*x.ValueAmount)
			if err != nil {
				return fmt.Errorf("seed: deal %s: %w", x.Slug, err)
			}
			deal.Value = &ledger.Money{Cents: cents, Currency: deref(x.ValueCurrency)}
		}
		if x.Parent != nil {
			deal.ParentID = deals[*x.Parent]
		}
		for _, o := range x.Organizations {
			deal.Organizations = append(deal.Organizations, ledger.DealOrganization{OrganizationID: orgs[o.Slug], Role: o.Role})
		}
		for _, p := range x.Priorities {
			deal.PriorityIDs = append(deal.PriorityIDs, prios[p.Country+"/"+p.Slug])
		}
		if err := db.CreateDeal(ctx, actor, &deal); err != nil {
			return fmt.Errorf("seed: deal %s: %w", x.Slug, err)
		}
		deals[x.Slug] = deal.ID
		for _, u := range x.Updates {
			on, err := time.Parse(time.DateOnly, u.OccurredOn)
			if err != nil {
				return fmt.Errorf("seed: deal %s: update date: %w", x.Slug, err)
			}
			su := ledger.StatusUpdate{DealID: deal.ID, Stage: ledger.Stage(u.Stage), OccurredOn: on, Note: u.Note, Source: src}
			if err := db.AddUpdate(ctx, actor, &su); err != nil {
				return fmt.Errorf("seed: deal %s: update: %w", x.Slug, err)
			}
		}
	}
	return nil
}

// Cents parses a decimal amount in major units ("4200000000", "12.5") into hundredths.
func Cents(amount string) (int64, error) {
	r, ok := new(big.Rat).SetString(amount)
	if !ok || r.Sign() < 0 {
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

func deref[T any](p *T) T {
	var zero T
	if p != nil {
		return *p
	}
	return zero
}
