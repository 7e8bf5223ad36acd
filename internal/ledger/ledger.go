package ledger

import (
	"net/url"
	"regexp"
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
}

// Source is where a fact was reported.
type Source struct {
	URL       string
	Title     string
	Publisher string
}

// Money is an amount in hundredths of a currency unit.
type Money struct {
	Cents    int64
	Currency string
}

// Deal is a commitment: its current stage is derived from its latest status update.
type Deal struct {
	ID                int64
	Slug              string
	Title             string
	Summary           string
	Sector            Sector
	Stage             Stage
	StageOn           time.Time
	Value             *Money
	ValueNote         string
	AnnouncedOn       time.Time
	SummitID          int64 // 0 when none
	ParentID          int64 // 0 when none: the umbrella deal this one belongs to
	CountsTowardTotal bool
	LastVerifiedOn    time.Time
	DeletedAt         time.Time
	DeletedReason     string
	Version           int
	CreatedAt         time.Time
	UpdatedAt         time.Time

	Parties       []string // country codes
	Organizations []DealOrganization
	PriorityIDs   []int64
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
	ID               int64
	DealID           int64
	Stage            Stage
	OccurredOn       time.Time
	Note             string
	Source           Source
	AuthorID         int64
	AuthorName       string
	CorrectsID       int64
	CorrectionReason string
	CreatedAt        time.Time
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

// Validate checks the deal's own fields. Lengths count characters, not
// bytes: a Cyrillic or Kazakh letter takes two bytes.
func (d *Deal) Validate() error {
	var fe FieldErrors
	fe.Check(strings.TrimSpace(d.Title) != "", "title", "Enter a title.")
	fe.Check(utf8.RuneCountInString(d.Title) <= 200, "title", "Keep the title to 200 characters or fewer.")
	fe.Check(utf8.RuneCountInString(d.Summary) <= 5000, "summary", "Keep the summary to 5,000 characters or fewer.")
	fe.Check(d.Sector.Valid(), "sector", "Choose a sector.")
	fe.Check(ValidSlug(d.Slug), "slug", "Use lowercase letters, digits and hyphens.")
	if d.Value != nil {
		fe.Check(d.Value.Cents >= 0, "value_amount", "Enter an amount of zero or more.")
		fe.Check(currencyRE.MatchString(d.Value.Currency), "value_currency", "Enter a three-letter currency code, like USD.")
	}
	fe.Check(d.ParentID == 0 || d.ParentID != d.ID, "parent_id", "A deal cannot be its own parent.")
	for _, o := range d.Organizations {
		fe.Check(validRole(o.Role), "organizations", "Choose a role for each organization.")
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
	fe.Check(ValidSourceURL(u.Source.URL), "source_url", "Enter the source as a full web address starting with http:// or https://.")
	fe.Check(strings.TrimSpace(u.Source.Title) != "", "source_title", "Enter the source's title.")
	fe.Check(strings.TrimSpace(u.Source.Publisher) != "", "source_publisher", "Enter who published the source.")
	fe.Check(u.CorrectsID == 0 || strings.TrimSpace(u.CorrectionReason) != "", "correction_reason", "Say why the update is corrected.")
	return fe.Err()
}

// Validate checks the priority's fields.
func (p *Priority) Validate() error {
	var fe FieldErrors
	fe.Check(len(p.CountryCode) == 2, "country", "Choose a country.")
	fe.Check(strings.TrimSpace(p.Title) != "", "title", "Enter a title.")
	fe.Check(ValidSlug(p.Slug), "slug", "Use lowercase letters, digits and hyphens.")
	fe.Check(p.Sector.Valid(), "sector", "Choose a sector.")
	fe.Check(ValidSourceURL(p.Source.URL), "source_url", "Enter the source as a full web address starting with http:// or https://.")
	fe.Check(strings.TrimSpace(p.Source.Title) != "", "source_title", "Enter the source's title.")
	fe.Check(strings.TrimSpace(p.Source.Publisher) != "", "source_publisher", "Enter who published the source.")
	return fe.Err()
}

// Validate checks the organization's fields.
func (o *Organization) Validate() error {
	var fe FieldErrors
	fe.Check(strings.TrimSpace(o.Name) != "", "name", "Enter a name.")
	fe.Check(ValidSlug(o.Slug), "slug", "Use lowercase letters, digits and hyphens.")
	ok := false
	for _, k := range OrganizationKinds {
		ok = ok || k == o.Kind
	}
	fe.Check(ok, "kind", "Choose a kind of organization.")
	return fe.Err()
}
