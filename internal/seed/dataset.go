// Package seed loads the reviewed datasets, one file per summit under
// data/, into the store, and checks them without a database.
package seed

import (
	"bytes"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"reflect"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"summitledger/internal/ledger"
)

//go:embed data/*.json
var embedded embed.FS

// File is one summit's dataset: the summit, the sources its records cite
// (by key, local to the file), and the countries, organizations,
// priorities and deals it adds. Records may refer to those of other files.
type File struct {
	Name          string               `json:"-"` // the file's name, for messages
	Summit        SummitRecord         `json:"summit"`
	Sources       []SourceRecord       `json:"sources"`
	Countries     []CountryRecord      `json:"countries"`
	Organizations []OrganizationRecord `json:"organizations"`
	Priorities    []PriorityRecord     `json:"priorities"`
	Deals         []DealRecord         `json:"deals"`
}

// SummitRecord is a summit as a dataset file gives it.
type SummitRecord struct {
	Slug        string   `json:"slug"`
	Name        string   `json:"name"`
	HeldOn      *string  `json:"held_on"`
	City        string   `json:"city"`
	Description string   `json:"description"`
	Sources     []string `json:"sources"`
}

// SourceRecord is a page the file's records cite, named by Key.
type SourceRecord struct {
	Key         string  `json:"key"`
	URL         string  `json:"url"`
	Title       string  `json:"title"`
	Publisher   string  `json:"publisher"`
	PublishedOn *string `json:"published_on"`
	Language    string  `json:"language"`
}

// CountryRecord is a participant.
type CountryRecord struct {
	Code        string   `json:"code"`
	Slug        string   `json:"slug"`
	Name        string   `json:"name"`
	Capital     string   `json:"capital"`
	Leader      string   `json:"leader"`
	LeaderTitle string   `json:"leader_title"`
	Summary     string   `json:"summary"`
	Sources     []string `json:"sources"`
}

// OrganizationRecord is a company, agency, bank or fund.
type OrganizationRecord struct {
	Slug        string  `json:"slug"`
	Name        string  `json:"name"`
	Kind        string  `json:"kind"`
	CountryCode *string `json:"country_code"`
	Description string  `json:"description"`
}

// PriorityRecord is what a country seeks, with the key of its source.
type PriorityRecord struct {
	Country     string `json:"country"`
	Slug        string `json:"slug"`
	Title       string `json:"title"`
	Description string `json:"description"`
	Sector      string `json:"sector"`
	Source      string `json:"source"`
}

// DealRecord is a commitment with its timeline.
type DealRecord struct {
	Slug               string   `json:"slug"`
	Title              string   `json:"title"`
	Summary            string   `json:"summary"`
	Sector             string   `json:"sector"`
	AnnouncedOn        *string  `json:"announced_on"`
	AnnouncedPrecision *string  `json:"announced_precision"`
	ValueAmount        *string  `json:"value_amount"`
	ValueCurrency      *string  `json:"value_currency"`
	ValueNote          string   `json:"value_note"`
	Parent             *string  `json:"parent"`
	CountsTowardTotal  bool     `json:"counts_toward_total"`
	Parties            []string `json:"parties"`
	Organizations      []struct {
		Slug string `json:"slug"`
		Role string `json:"role"`
	} `json:"organizations"`
	Priorities []PriorityRef  `json:"priorities"`
	Updates    []UpdateRecord `json:"updates"`
}

// PriorityRef names a country's priority.
type PriorityRef struct {
	Country string `json:"country"`
	Slug    string `json:"slug"`
}

// UpdateRecord is one dated step of a deal, citing sources by key.
type UpdateRecord struct {
	Stage      string   `json:"stage"`
	OccurredOn string   `json:"occurred_on"`
	Precision  string   `json:"precision"`
	Note       string   `json:"note"`
	Sources    []string `json:"sources"`
}

// Files reads every embedded dataset file, in name order.
func Files() ([]File, error) {
	return ReadFiles(embedded, "data")
}

// ReadFiles reads every *.json file of dir in fsys, in name order. A file
// that is not valid JSON of the expected shape is an error naming it.
func ReadFiles(fsys fs.FS, dir string) ([]File, error) {
	names, err := fs.Glob(fsys, path.Join(dir, "*.json"))
	if err != nil {
		return nil, fmt.Errorf("seed: list %s: %w", dir, err)
	}
	slices.Sort(names)
	files := make([]File, 0, len(names))
	for _, name := range names {
		raw, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, fmt.Errorf("seed: read %s: %w", name, err)
		}
		f, err := parseFile(path.Base(name), raw)
		if err != nil {
			return nil, err
		}
		files = append(files, f)
	}
	return files, nil
}

func parseFile(name string, raw []byte) (File, error) {
	var f File
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&f); err != nil {
		return f, fmt.Errorf("seed: %s: %w", name, err)
	}
	f.Name = name
	return f, nil
}

// Problem is one thing wrong with a dataset: where, and what.
type Problem struct {
	File    string
	Record  string // "deal kz-tungsten", "source kz-exim"
	Field   string
	Message string
}

func (p Problem) String() string {
	return fmt.Sprintf("%s: %s: %s: %s", p.File, p.Record, p.Field, p.Message)
}

// Check lists every problem of the files taken together: fields the
// ledger would refuse, references that resolve nowhere, duplicates, and
// sources that no record cites. No problems means Load can load them.
func Check(files []File) []Problem {
	c := checker{countries: map[string]bool{}, orgs: map[string]string{}, prios: map[string]string{},
		deals: map[string]string{}, parents: map[string]string{}, urls: map[string]SourceRecord{}, summits: map[string]string{}}
	for _, f := range files {
		c.index(f)
	}
	for _, f := range files {
		c.file(f)
	}
	c.cycles()
	return c.problems
}

type checker struct {
	problems  []Problem
	countries map[string]bool
	orgs      map[string]string       // slug → file that defines it
	prios     map[string]string       // country/slug → file
	deals     map[string]string       // slug → file
	parents   map[string]string       // deal slug → parent slug
	urls      map[string]SourceRecord // source url → the record that first gave it
	summits   map[string]string
}

func (c *checker) add(file, record, field, format string, args ...any) {
	c.problems = append(c.problems, Problem{file, record, field, fmt.Sprintf(format, args...)})
}

// index records what each file defines, reporting what is defined twice.
func (c *checker) index(f File) {
	if prev, ok := c.summits[f.Summit.Slug]; ok {
		c.add(f.Name, "summit "+f.Summit.Slug, "slug", "also the summit of %s", prev)
	}
	c.summits[f.Summit.Slug] = f.Name
	for _, x := range f.Countries {
		if c.countries[x.Code] {
			c.add(f.Name, "country "+x.Code, "code", "defined twice")
		}
		c.countries[x.Code] = true
	}
	for _, o := range f.Organizations {
		if prev, ok := c.orgs[o.Slug]; ok {
			c.add(f.Name, "organization "+o.Slug, "slug", "also defined in %s", prev)
		}
		c.orgs[o.Slug] = f.Name
	}
	for _, p := range f.Priorities {
		k := p.Country + "/" + p.Slug
		if prev, ok := c.prios[k]; ok {
			c.add(f.Name, "priority "+k, "slug", "also defined in %s", prev)
		}
		c.prios[k] = f.Name
	}
	for _, d := range f.Deals {
		if prev, ok := c.deals[d.Slug]; ok {
			c.add(f.Name, "deal "+d.Slug, "slug", "also defined in %s", prev)
		}
		c.deals[d.Slug] = f.Name
		if d.Parent != nil {
			c.parents[d.Slug] = *d.Parent
		}
	}
}

func (c *checker) file(f File) {
	keys := map[string]bool{}
	cited := map[string]bool{}
	urlsInFile := map[string]bool{}
	for _, s := range f.Sources {
		rec := "source " + s.Key
		switch {
		case !ledger.ValidSlug(s.Key):
			c.add(f.Name, rec, "key", "use lowercase letters, digits and hyphens")
		case keys[s.Key]:
			c.add(f.Name, rec, "key", "defined twice")
		}
		keys[s.Key] = true
		// One address, one source: files may each list a source they
		// share, but must describe it alike.
		prev, ok := c.urls[s.URL]
		prev.Key = s.Key
		switch {
		case ok && urlsInFile[s.URL]:
			c.add(f.Name, rec, "url", "the same address as source %s above: one address, one source", c.urls[s.URL].Key)
		case ok && !reflect.DeepEqual(prev, s):
			c.add(f.Name, rec, "url", "another file describes this address differently: one address, one source")
		}
		urlsInFile[s.URL] = true
		if !ok {
			c.urls[s.URL] = s
		}
		if !ledger.ValidSourceURL(s.URL) {
			c.add(f.Name, rec, "url", "%q is not an http(s) address", s.URL)
		}
		c.text(f.Name, rec, "title", s.Title, 300, true)
		c.text(f.Name, rec, "publisher", s.Publisher, 200, true)
		c.date(f.Name, rec, "published_on", s.PublishedOn)
		if s.Language == "" {
			c.add(f.Name, rec, "language", "give the page's language, such as en or ru")
		}
	}
	cite := func(rec, field string, ks []string, required bool) {
		if required && len(ks) == 0 {
			c.add(f.Name, rec, field, "cite at least one source")
		}
		for _, k := range ks {
			if !keys[k] {
				c.add(f.Name, rec, field, "no source %q in this file", k)
			}
			cited[k] = true
		}
	}

	s := f.Summit
	rec := "summit " + s.Slug
	if !ledger.ValidSlug(s.Slug) {
		c.add(f.Name, rec, "slug", "use lowercase letters, digits and hyphens")
	}
	if want := s.Slug + ".json"; f.Name != want {
		c.add(f.Name, rec, "slug", "the file of summit %s is named %s", s.Slug, want)
	}
	c.text(f.Name, rec, "name", s.Name, 200, true)
	c.date(f.Name, rec, "held_on", s.HeldOn)
	cite(rec, "sources", s.Sources, true)

	for _, x := range f.Countries {
		rec := "country " + x.Code
		if len(x.Code) != 2 || strings.ToUpper(x.Code) != x.Code {
			c.add(f.Name, rec, "code", "use the two-letter ISO code in capitals")
		}
		if !ledger.ValidSlug(x.Slug) {
			c.add(f.Name, rec, "slug", "use lowercase letters, digits and hyphens")
		}
		c.text(f.Name, rec, "name", x.Name, 200, true)
		cite(rec, "sources", x.Sources, true)
	}
	for _, o := range f.Organizations {
		rec := "organization " + o.Slug
		org := ledger.Organization{Slug: o.Slug, Name: o.Name, Kind: o.Kind}
		c.invalid(f.Name, rec, org.Validate())
		if o.CountryCode != nil && !c.countries[*o.CountryCode] {
			c.add(f.Name, rec, "country_code", "no country %q in the datasets", *o.CountryCode)
		}
	}
	for _, p := range f.Priorities {
		rec := "priority " + p.Country + "/" + p.Slug
		if !c.countries[p.Country] {
			c.add(f.Name, rec, "country", "no country %q in the datasets", p.Country)
		}
		if !ledger.ValidSlug(p.Slug) {
			c.add(f.Name, rec, "slug", "use lowercase letters, digits and hyphens")
		}
		c.text(f.Name, rec, "title", p.Title, 200, true)
		if !ledger.Sector(p.Sector).Valid() {
			c.add(f.Name, rec, "sector", "%q is not a sector", p.Sector)
		}
		cite(rec, "source", []string{p.Source}, true)
	}
	for _, d := range f.Deals {
		c.deal(f, d, cite)
	}
	for _, s := range f.Sources {
		if !cited[s.Key] {
			c.add(f.Name, "source "+s.Key, "key", "no record cites it")
		}
	}
}

func (c *checker) deal(f File, d DealRecord, cite func(rec, field string, ks []string, required bool)) {
	rec := "deal " + d.Slug
	// The ledger's own rules for a deal, as a form or the store applies them.
	deal := ledger.Deal{Slug: d.Slug, Title: d.Title, Summary: d.Summary, Sector: ledger.Sector(d.Sector),
		ValueNote: d.ValueNote, Parties: d.Parties}
	for _, o := range d.Organizations {
		deal.Organizations = append(deal.Organizations, ledger.DealOrganization{Role: o.Role})
	}
	if d.ValueCurrency != nil {
		deal.Value = &ledger.Money{Currency: *d.ValueCurrency}
	}
	c.invalid(f.Name, rec, deal.Validate())
	c.date(f.Name, rec, "announced_on", d.AnnouncedOn)
	if p := d.AnnouncedPrecision; p != nil && !ledger.Precision(*p).Valid() {
		c.add(f.Name, rec, "announced_precision", "%q is not day, month or year", *p)
	}
	if (d.ValueAmount == nil) != (d.ValueCurrency == nil) {
		c.add(f.Name, rec, "value_amount", "give an amount and its currency, or neither")
	}
	if d.ValueAmount != nil {
		if _, err := Cents(*d.ValueAmount); err != nil {
			c.add(f.Name, rec, "value_amount", "%v", err)
		}
	}
	if d.Parent != nil {
		if _, ok := c.deals[*d.Parent]; !ok {
			c.add(f.Name, rec, "parent", "no deal %q in the datasets", *d.Parent)
		}
	}
	for _, p := range d.Parties {
		if !c.countries[p] {
			c.add(f.Name, rec, "parties", "no country %q in the datasets", p)
		}
	}
	for _, o := range d.Organizations {
		if _, ok := c.orgs[o.Slug]; !ok {
			c.add(f.Name, rec, "organizations", "no organization %q in the datasets", o.Slug)
		}
	}
	for _, p := range d.Priorities {
		if _, ok := c.prios[p.Country+"/"+p.Slug]; !ok {
			c.add(f.Name, rec, "priorities", "no priority %s/%s in the datasets", p.Country, p.Slug)
		}
	}
	if len(d.Updates) == 0 {
		c.add(f.Name, rec, "updates", "give at least the step that announced it")
	}
	for i, u := range d.Updates {
		urec := fmt.Sprintf("%s update %d", rec, i+1)
		if !ledger.Stage(u.Stage).Valid() {
			c.add(f.Name, urec, "stage", "%q is not a stage", u.Stage)
		}
		c.date(f.Name, urec, "occurred_on", &u.OccurredOn)
		if u.OccurredOn == "" {
			c.add(f.Name, urec, "occurred_on", "give the date it happened")
		}
		if !ledger.Precision(u.Precision).Valid() {
			c.add(f.Name, urec, "precision", "%q is not day, month or year", u.Precision)
		}
		c.text(f.Name, urec, "note", u.Note, 5000, false)
		if len(u.Sources) > ledger.MaxSources {
			c.add(f.Name, urec, "sources", "cite at most %d sources", ledger.MaxSources)
		}
		cite(urec, "sources", u.Sources, true)
	}
}

// cycles reports deals that are, through their parents, parts of themselves.
func (c *checker) cycles() {
	for slug, file := range c.deals {
		seen := map[string]bool{slug: true}
		for p, ok := c.parents[slug]; ok; p, ok = c.parents[p] {
			if seen[p] {
				c.add(file, "deal "+slug, "parent", "the chain of parents comes back to %s", p)
				break
			}
			seen[p] = true
		}
	}
	slices.SortStableFunc(c.problems, func(a, b Problem) int { return strings.Compare(a.File, b.File) })
}

func (c *checker) text(file, rec, field, s string, max int, required bool) {
	switch {
	case required && strings.TrimSpace(s) == "":
		c.add(file, rec, field, "must not be empty")
	case !utf8.ValidString(s):
		c.add(file, rec, field, "is not valid UTF-8")
	case utf8.RuneCountInString(s) > max:
		c.add(file, rec, field, "keep it to %d characters or fewer", max)
	}
}

func (c *checker) date(file, rec, field string, s *string) {
	if s == nil || *s == "" {
		return
	}
	if _, err := time.Parse(time.DateOnly, *s); err != nil {
		c.add(file, rec, field, "%q is not a date as YYYY-MM-DD", *s)
	}
}

func (c *checker) invalid(file, rec string, err error) {
	var fe *ledger.Error
	if !errors.As(err, &fe) {
		return
	}
	keys := make([]string, 0, len(fe.Fields))
	for k := range fe.Fields {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		c.add(file, rec, k, "%s", fe.Fields[k])
	}
}
