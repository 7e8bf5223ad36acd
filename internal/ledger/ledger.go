package ledger

import (
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/gosimple/unidecode"
)

// Summit is a meeting at which commitments were made.
type Summit struct {
	ID          int64
	Slug        string
	Name        string
	HeldOn      time.Time // zero when the source gives no exact day
	City        string
	Description string
}

// Country is a participant, keyed by its ISO 3166 alpha-2 code.
type Country struct {
	Code        string
	Slug        string
	Name        string
	Capital     string
	Leader      string
	LeaderTitle string
	Summary     string
}

// Organization is a company, agency, bank or fund that takes part in deals.
type Organization struct {
	ID          int64
	Slug        string
	Name        string
	Kind        string
	CountryCode string
	Description string
	Version     int
	// ChangeNote is the editor's optional word on a change, kept in its
	// revision; it is no part of the record, so revisions leave it out.
	ChangeNote string `json:"-"`
}

// Priority is something a country seeks, with the source that says so.
type Priority struct {
	ID          int64
	CountryCode string
	Slug        string
	Title       string
	Description string
	Sector      Sector
	Source      Source
	DeletedAt   time.Time
	Version     int
	ChangeNote  string `json:"-"` // as for Organization
}

// Source is a public page where a fact was reported: one address, one source.
type Source struct {
	ID          int64
	URL         string
	Title       string
	Publisher   string
	PublishedOn time.Time // zero when the page gives no date
	Language    string    // an IETF tag such as "en" or "ru"; empty when unknown
}

// MaxSources is how many sources one status update may cite.
const MaxSources = 20

// Precision is how much of a date is known: the day, or only its month or year.
// A date known to the month is stored as the month's first day.
type Precision string

// The precisions of a date.
const (
	Day   Precision = "day"
	Month Precision = "month"
	Year  Precision = "year"
)

// Valid reports whether p is a known precision.
func (p Precision) Valid() bool { return p == Day || p == Month || p == Year }

// Money is an amount in hundredths of a currency unit.
type Money struct {
	Cents    int64
	Currency string
}

// Deal is a commitment: its current stage is derived from its latest status update.
type Deal struct {
	ID                 int64
	Slug               string
	Title              string
	Summary            string
	Sector             Sector
	Stage              Stage
	StageOn            time.Time
	Value              *Money
	ValueNote          string
	AnnouncedOn        time.Time
	AnnouncedPrecision Precision // how much of AnnouncedOn is known
	SummitID           int64     // 0 when none
	ParentID           int64     // 0 when none: the umbrella deal this one belongs to
	CountsTowardTotal  bool
	LastVerifiedOn     time.Time
	DeletedAt          time.Time
	DeletedReason      string
	Version            int
	CreatedAt          time.Time
	UpdatedAt          time.Time

	Parties       []string // country codes
	Organizations []DealOrganization
	PriorityIDs   []int64

	ChangeNote string `json:"-"` // as for Organization
	// ChangeSources are the sources an editor cites for a change, kept in
	// its revision; a change to the value, the parties or the organizations
	// needs one (SourceNeeded).
	ChangeSources []Source `json:"-"`
}

// DealOrganization is an organization's role in a deal.
type DealOrganization struct {
	OrganizationID int64
	Role           string
	// New, when set and OrganizationID is 0, is an organization to create in
	// the same transaction as the deal, so that a form can add one.
	New *Organization `json:",omitempty"`
}

// Roles an organization can play in a deal.
var Roles = []string{"buyer", "supplier", "investor", "financier", "partner", "bidder", "sponsor", "other"}

// OrganizationKinds are the kinds of organization.
var OrganizationKinds = []string{"company", "government", "bank", "fund", "agency", "other"}

// StatusUpdate is one dated step in a deal's timeline. Updates are never
// changed: a correction is a new update whose CorrectsID names the old one.
type StatusUpdate struct {
	ID                int64
	DealID            int64
	Stage             Stage
	OccurredOn        time.Time
	OccurredPrecision Precision // how much of OccurredOn is known
	Note              string
	Sources           []Source // in order: the first is the primary
	AuthorID          int64
	AuthorName        string
	CorrectsID        int64
	CorrectionReason  string
	CreatedAt         time.Time
}

// Actor is who makes a change; a zero Actor is the system (seed, import).
type Actor struct {
	UserID int64
	Name   string
}

// Revision records one change to one record, before and after, as JSON.
type Revision struct {
	ID        int64
	Entity    string
	EntityID  int64
	Action    string
	ActorID   int64
	ActorName string
	Reason    string
	Before    []byte
	After     []byte
	CreatedAt time.Time
}

var (
	slugRE     = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)
	currencyRE = regexp.MustCompile(`^[A-Z]{3}$`)
)

// ValidSlug reports whether s is lowercase words joined by hyphens.
func ValidSlug(s string) bool { return slugRE.MatchString(s) }

// Slugify turns a title into a URL slug of at most 80 characters. Letters
// of other scripts are transliterated first (Казахстан becomes kazakhstan,
// Ü becomes u), so a title in Russian or Kazakh gets a slug that says what
// it is; only a title with nothing to transliterate falls back to "deal".
func Slugify(title string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(unidecode.Unidecode(title)) {
		switch {
		case r == '\'' || r == '`':
			// Transliteration marks (Oʻzbekiston, Қ as K') and English
			// apostrophes belong to the word: o'zbekiston is ozbekiston.
		case r >= 'a' && r <= 'z' || r >= '0' && r <= '9':
			b.WriteRune(r)
			dash = false
		case b.Len() > 0 && !dash:
			b.WriteByte('-')
			dash = true
		}
		if b.Len() >= 80 {
			break
		}
	}
	s := strings.TrimRight(b.String(), "-")
	if s == "" {
		return "deal"
	}
	return s
}

// ValidSourceURL reports whether raw is an absolute http or https URL.
// A URL with a user name or password is refused: "https://trusted.org@evil.example"
// reads as trusted.org but leads to evil.example.
func ValidSourceURL(raw string) bool {
	u, err := url.Parse(raw)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != "" && u.User == nil
}

// Validate checks the deal's own fields: every path that stores a deal
// (forms, seed, scripts) goes through it. Lengths count characters, not
// bytes: a Cyrillic or Kazakh letter takes two bytes. An empty slug is made
// from the title by the store. The umbrella may not close a loop either;
// that needs the other deals, so the store checks it with CheckUmbrella.
func (d *Deal) Validate() error {
	var fe FieldErrors
	fe.Check(strings.TrimSpace(d.Title) != "", "title", "Enter a title.")
	checkLength(&fe, "title", d.Title, MaxTitle, "the title")
	checkSlug(&fe, d.Slug)
	if slices.Contains(ReservedDealSlugs, d.Slug) {
		fe.Add("slug", "\u201c"+d.Slug+"\u201d names one of the deal's own pages; choose another slug.")
	}
	checkLength(&fe, "summary", d.Summary, MaxText, "the summary")
	fe.Check(d.Sector.Valid(), "sector", "Choose a sector.")
	// A deal with no party drops out of every country's scoreboard unseen.
	fe.Check(len(d.Parties) > 0, "party", "Choose at least one country that is party to the deal.")
	if d.Value != nil {
		fe.Check(d.Value.Cents >= 0, "value_amount", "Enter an amount of zero or more.")
		fe.Check(currencyRE.MatchString(d.Value.Currency), "value_currency", "Enter a three-letter currency code, like USD.")
	}
	checkLength(&fe, "value_note", d.ValueNote, MaxValueNote, "the note on the value")
	fe.Check(d.ParentID == 0 || d.ParentID != d.ID, "parent_id", "A deal cannot be part of itself or of one of its own parts.")
	for _, o := range d.Organizations {
		fe.Check(validRole(o.Role), "organizations", "Choose a role for each organization.")
	}
	checkLength(&fe, "change_note", d.ChangeNote, MaxChangeNote, "the note on your change")
	fe.Check(len(d.ChangeSources) <= MaxSources, SourceField("source_url", MaxSources), "Cite at most 20 sources.")
	for i, s := range d.ChangeSources {
		s.validate(&fe, i)
	}
	return fe.Err()
}

func validRole(r string) bool {
	for _, x := range Roles {
		if x == r {
			return true
		}
	}
	return false
}

// Validate checks the update's fields: a stage, a date and a source are required.
func (u *StatusUpdate) Validate() error {
	var fe FieldErrors
	fe.Check(u.Stage.Valid(), "stage", "Choose a stage.")
	fe.Check(!u.OccurredOn.IsZero(), "occurred_on", "Enter the date it happened, as YYYY-MM-DD.")
	fe.Check(u.OccurredOn.IsZero() || u.OccurredOn.Year() >= 1990, "occurred_on", "Enter a date in 1990 or later.")
	fe.Check(utf8.RuneCountInString(u.Note) <= 5000, "note", "Keep the note to 5,000 characters or fewer.")
	fe.Check(u.OccurredPrecision == "" || u.OccurredPrecision.Valid(), "occurred_precision", "Choose day, month or year.")
	fe.Check(len(u.Sources) > 0, SourceField("source_url", 0), "Enter at least one source.")
	fe.Check(len(u.Sources) <= MaxSources, SourceField("source_url", MaxSources), "Cite at most 20 sources.")
	seen := map[string]bool{}
	for i, s := range u.Sources {
		s.validate(&fe, i)
		fe.Check(!seen[s.URL], SourceField("source_url", i), "This source is already cited above.")
		seen[s.URL] = true
	}
	fe.Check(u.CorrectsID == 0 || strings.TrimSpace(u.CorrectionReason) != "", "correction_reason", "Say why the update is corrected.")
	return fe.Err()
}

// Validate checks the priority's fields. An empty slug is made from the
// title by the store.
func (p *Priority) Validate() error {
	var fe FieldErrors
	fe.Check(len(p.CountryCode) == 2, "country", "Choose a country.")
	fe.Check(strings.TrimSpace(p.Title) != "", "title", "Enter a title.")
	checkLength(&fe, "title", p.Title, MaxTitle, "the title")
	checkSlug(&fe, p.Slug)
	checkLength(&fe, "description", p.Description, MaxText, "the description")
	fe.Check(p.Sector.Valid(), "sector", "Choose a sector.")
	fe.Check(p.Source.URL != "", "source_url", "Enter the web address of the source.")
	checkLength(&fe, "source_url", p.Source.URL, MaxSourceURL, "the address")
	fe.Check(ValidSourceURL(p.Source.URL), "source_url", "Enter the source as a full web address starting with http:// or https://.")
	fe.Check(strings.TrimSpace(p.Source.Title) != "", "source_title", "Enter the source's title.")
	checkLength(&fe, "source_title", p.Source.Title, MaxSourceTitle, "the title")
	fe.Check(strings.TrimSpace(p.Source.Publisher) != "", "source_publisher", "Enter who published the source.")
	checkLength(&fe, "source_publisher", p.Source.Publisher, MaxPublisher, "the publisher")
	checkLength(&fe, "change_note", p.ChangeNote, MaxChangeNote, "the note on your change")
	return fe.Err()
}

// SourceField names the field of the i-th source row of a form: source_url-0
// is the first row's address.
func SourceField(name string, i int) string { return name + "-" + strconv.Itoa(i) }

var languageRE = regexp.MustCompile(`^([a-z]{2,3}(-[A-Za-z0-9]{2,8})*)?$`)

// validate checks one cited source, the i-th of its update.
func (s Source) validate(fe *FieldErrors, i int) {
	fe.Check(ValidSourceURL(s.URL), SourceField("source_url", i), "Enter the source as a full web address starting with http:// or https://.")
	fe.Check(strings.TrimSpace(s.Title) != "", SourceField("source_title", i), "Enter the source's title.")
	fe.Check(strings.TrimSpace(s.Publisher) != "", SourceField("source_publisher", i), "Enter who published the source.")
	fe.Check(languageRE.MatchString(s.Language), SourceField("source_language", i), "Enter a language code such as en or ru.")
	checkLength(fe, SourceField("source_url", i), s.URL, MaxSourceURL, "the address")
	checkLength(fe, SourceField("source_title", i), s.Title, MaxSourceTitle, "the title")
	checkLength(fe, SourceField("source_publisher", i), s.Publisher, MaxPublisher, "the publisher")
}

// Validate checks the organization's fields. An empty slug is made from
// the name by the store.
func (o *Organization) Validate() error {
	var fe FieldErrors
	fe.Check(strings.TrimSpace(o.Name) != "", "name", "Enter the organization's name.")
	checkLength(&fe, "name", o.Name, MaxTitle, "the name")
	checkSlug(&fe, o.Slug)
	fe.Check(slices.Contains(OrganizationKinds, o.Kind), "kind", "Choose what kind of organization it is.")
	checkLength(&fe, "description", o.Description, MaxText, "the description")
	checkLength(&fe, "change_note", o.ChangeNote, MaxChangeNote, "the note on your change")
	return fe.Err()
}
