package web

import (
	"slices"
	"strconv"
	"time"
)

// Option is one choice of a select or a checkbox group.
type Option struct {
	Value string
	Label string
}

// FormError is one invalid field of a form: the field's name (a group's
// name for checkboxes), the id of the input the error summary links to, and
// the message.
type FormError struct {
	Field   string
	Anchor  string
	Message string
}

// FormErrors are a form's invalid fields in the order the form shows them.
type FormErrors []FormError

// Add records msg for field, whose input's id is its name, unless the field
// already has a message.
func (e *FormErrors) Add(field, msg string) {
	if e.For(field) == "" {
		*e = append(*e, FormError{Field: field, Anchor: field, Message: msg})
	}
}

// For returns the message for field, or "".
func (e FormErrors) For(field string) string {
	for _, fe := range e {
		if fe.Field == field {
			return fe.Message
		}
	}
	return ""
}

// FieldChange is one field of a record before and after a change, as text.
type FieldChange struct {
	Field  string
	Before string
	After  string
}

// Conflict tells an editor that the record changed since they opened the
// form: each field someone else changed, from the value the editor started
// from to the current one, and each field both changed, to choose between.
type Conflict struct {
	Message string
	Changes []FieldChange
	// Choices are the fields the editor and someone else both changed, to
	// different values; the form holds the saved value until the editor
	// chooses theirs.
	Choices []ConflictChoice
	// Deleted says the record was deleted meanwhile, so saving again
	// cannot work until an admin restores it.
	Deleted bool
}

// ConflictChoice is one field two editors changed differently: the saved
// value and the editor's, side by side, as a pair of radio buttons named
// Name whose values are "saved" and "yours". Hidden carries the editor's
// value in the form's own fields, each name prefixed "yours.", so that
// choosing it can put it back.
type ConflictChoice struct {
	ID     string // unique on the page, for ids
	Name   string
	Field  string
	Saved  string
	Yours  string
	Hidden []HiddenField
}

// HiddenField is one hidden input of a form.
type HiddenField struct {
	Name  string
	Value string
}

// UpdateValues are the status update form's fields as typed.
type UpdateValues struct {
	Stage            string
	OccurredOn       string
	Precision        string // how much of OccurredOn is known: day, month or year
	Note             string
	Sources          []SourceRow
	CorrectionReason string
}

// SourceRow is one cited source of a status update as typed.
type SourceRow struct {
	URL         string
	Title       string
	Publisher   string
	PublishedOn string
	Language    string
}

// CorrectedUpdate is the update a correction replaces, shown above the form.
type CorrectedUpdate struct {
	ID         int64
	Stage      string
	OccurredOn string
	Note       string
	Sources    []string
}

// UpdateFormView is the page to log a status update, or to correct one.
type UpdateFormView struct {
	Heading    string
	Action     string
	DealTitle  string
	DealURL    string
	Stages     []Option
	Values     UpdateValues
	Correcting *CorrectedUpdate
	// Conflict, when set, says the update was corrected by someone else
	// while this correction was typed.
	Conflict *Conflict
	Errors   FormErrors
}

// CorrectionTakenView answers the correction page of an update that is
// already corrected: the correction that replaced it, and the newest word
// on it (the same update unless the correction was corrected in turn),
// which is the one to correct instead.
type CorrectionTakenView struct {
	ID               int64
	CorrectionID     int64
	CorrectionURL    string
	LatestID         int64
	LatestURL        string
	CorrectLatestURL string
	DealTitle        string
	DealURL          string
}

// OrgRow is one organization of a deal as the form lists it.
type OrgRow struct {
	OrgID string
	Role  string
}

// DealValues are the deal form's fields as typed.
type DealValues struct {
	Title              string
	Slug               string
	Summary            string
	Sector             string
	Parties            []string
	Orgs               []OrgRow
	NewOrgName         string
	NewOrgKind         string
	NewOrgRole         string
	Priorities         []string
	ValueAmount        string
	ValueCurrency      string
	ValueNote          string
	AnnouncedOn        string
	AnnouncedPrecision string // how much of AnnouncedOn is known: day, month or year
	SummitID           string
	ParentID           string
	CountsTowardTotal  bool
	ChangeNote         string
	Sources            []SourceRow // the sources cited for this change
	Version            string
}

// PriorityGroup is one country's priorities among the deal form's checkboxes.
type PriorityGroup struct {
	Country string
	Options []Option
}

// DealFormView is the page to create or edit a deal.
type DealFormView struct {
	Heading        string
	Action         string
	CancelURL      string
	Editing        bool
	Values         DealValues
	Errors         FormErrors
	Conflict       *Conflict
	Sectors        []Option
	Countries      []Option
	Organizations  []Option
	Roles          []Option
	Kinds          []Option
	PriorityGroups []PriorityGroup
	Summits        []Option
	Parents        []Option
	BlankOrgRows   int // empty organization rows after the typed ones
	Tools          *EditorTools
}

// PriorityValues are the priority form's fields as typed.
type PriorityValues struct {
	Title           string
	Slug            string
	Description     string
	Sector          string
	SourceURL       string
	SourceTitle     string
	SourcePublisher string
	ChangeNote      string
	Version         string
}

// PriorityFormView is the page to create or edit a country's priority.
type PriorityFormView struct {
	Heading   string
	Action    string
	CancelURL string
	Country   string
	Editing   bool
	Values    PriorityValues
	Errors    FormErrors
	Conflict  *Conflict
	Sectors   []Option
	DeleteURL string // admins only: where to delete or restore the priority
	Deleted   bool
}

// ReasonFormView is a confirmation that needs a reason: delete or restore.
type ReasonFormView struct {
	Heading   string
	Intro     string
	Action    string
	Button    string
	CancelURL string
	Reason    string
	Danger    bool
	Errors    FormErrors
}

// EditorTools are the links and buttons an editor sees for one deal.
type EditorTools struct {
	DealID     int64
	UpdateURL  string
	EditURL    string
	VerifyURL  string
	HistoryURL string
	DeleteURL  string // admins only
	RestoreURL string // admins only, for a deleted deal
	Deleted    bool
}

// HistoryView is a deal's history: every revision, newest first.
type HistoryView struct {
	DealTitle     string
	DealURL       string
	Deleted       bool
	DeletedReason string
	RestoreURL    string
	Revisions     []RevisionView
}

// RevisionView is one change to a record: who, when, what and why. Action
// says what happened in a few words, like "Status update #12 logged";
// ReasonLabel names the why: an editor's "Note" on an edit, or the
// "Reason" a deletion or a correction must give.
type RevisionView struct {
	ID          int64
	At          time.Time
	Who         string
	Action      string
	ReasonLabel string
	Reason      string
	Changes     []FieldChange
}

// ChangesView is one page of the public change log.
type ChangesView struct {
	Items   []ChangeItem
	NextURL string
	Newest  bool
}

// ChangeItem is one entry of the change log, linking to its record.
type ChangeItem struct {
	ID          int64
	At          time.Time
	Who         string
	Action      string
	Kind        string
	Title       string
	URL         string
	HistoryURL  string
	ReasonLabel string // as in RevisionView
	Reason      string
	Fields      []string
}

// PrecisionOptions are the choices of how much of a date is known.
var PrecisionOptions = []Option{{"day", "The day"}, {"month", "Only the month"}, {"year", "Only the year"}}

func precisionOr(p string) string {
	if p == "" {
		return "day"
	}
	return p
}

// blankSourceRows is how many empty source rows follow the typed ones.
const blankSourceRows = 2

// sourceRows returns the typed source rows followed by blank ones.
func sourceRows(rows []SourceRow) []SourceRow {
	return append(slices.Clone(rows), make([]SourceRow, blankSourceRows)...)
}

func sourceRowLegend(i int) string {
	if i == 0 {
		return "Primary source"
	}
	return "Source " + strconv.Itoa(i+1)
}
