package ledger

import (
	"slices"
	"strconv"
	"strings"
	"time"
)

// Two editors who open the same record and save in turn made two edits of
// one base. The three-way merge keeps both: it starts from theirs (the
// record as saved meanwhile) and takes from mine each part that only mine
// changed since base. A part both changed, to different values, is a
// conflict: the merge keeps theirs and names the part, so that the editor
// chooses. Nothing anyone saved is undone without a choice.
//
// A part is a field, or one element of a relation: each country party, each
// organization with its role, each priority is merged on its own, so that
// one editor adding a party and the other removing another keep both.
// Parts are named by the record's Go field, an element by its field and
// its key: "Title", "Value", "Parties:KZ", "Organizations:12".

// part is one piece of a record that a merge compares on its own.
type part[R any] struct {
	key  string
	of   func(*R) string // the part's value, comparable as text
	take func(dst, src *R)
}

// mergeParts takes into merged, a copy of theirs, each part that only mine
// changed since base, and returns the parts both changed differently. With
// no base (the version's record is not known), every part theirs and mine
// hold differently is a conflict.
func mergeParts[R any](parts []part[R], base, theirs, mine, merged *R) []string {
	var conflicts []string
	for _, p := range parts {
		t, m := p.of(theirs), p.of(mine)
		if t == m {
			continue
		}
		if base != nil {
			switch b := p.of(base); {
			case m == b:
				continue
			case t == b:
				p.take(merged, mine)
				continue
			}
		}
		conflicts = append(conflicts, p.key)
	}
	return conflicts
}

func field[R any](key string, of func(*R) string, take func(dst, src *R)) part[R] {
	return part[R]{key: key, of: of, take: take}
}

func dayText(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(time.DateOnly)
}

func idText(n int64) string { return strconv.FormatInt(n, 10) }

// MergeDeal merges mine, an edit made from base, into theirs, the deal as
// saved since. The merged deal has theirs' identity, version and derived
// fields (stage, verification, deletion) and mine's change note; the
// second result names the parts both changed to different values, which
// hold theirs. base may be nil when the version's record is unknown.
func MergeDeal(base, theirs, mine *Deal) (Deal, []string) {
	merged := *theirs
	merged.Parties = slices.Clone(theirs.Parties)
	merged.Organizations = slices.Clone(theirs.Organizations)
	merged.PriorityIDs = slices.Clone(theirs.PriorityIDs)
	merged.ChangeNote = mine.ChangeNote
	merged.ChangeSources = mine.ChangeSources

	parts := []part[Deal]{
		field("Title", func(d *Deal) string { return d.Title }, func(dst, src *Deal) { dst.Title = src.Title }),
		field("Slug", func(d *Deal) string { return d.Slug }, func(dst, src *Deal) { dst.Slug = src.Slug }),
		field("Summary", func(d *Deal) string { return d.Summary }, func(dst, src *Deal) { dst.Summary = src.Summary }),
		field("Sector", func(d *Deal) string { return string(d.Sector) }, func(dst, src *Deal) { dst.Sector = src.Sector }),
		field("Value", func(d *Deal) string {
			if d.Value == nil {
				return ""
			}
			return idText(d.Value.Cents) + " " + d.Value.Currency
		}, func(dst, src *Deal) {
			dst.Value = nil
			if src.Value != nil {
				v := *src.Value
				dst.Value = &v
			}
		}),
		field("ValueNote", func(d *Deal) string { return d.ValueNote }, func(dst, src *Deal) { dst.ValueNote = src.ValueNote }),
		// The date and how much of it is known are one fact.
		field("AnnouncedOn", func(d *Deal) string { return dayText(d.AnnouncedOn) + " " + string(d.AnnouncedPrecision) },
			func(dst, src *Deal) {
				dst.AnnouncedOn, dst.AnnouncedPrecision = src.AnnouncedOn, src.AnnouncedPrecision
			}),
		field("SummitID", func(d *Deal) string { return idText(d.SummitID) }, func(dst, src *Deal) { dst.SummitID = src.SummitID }),
		field("ParentID", func(d *Deal) string { return idText(d.ParentID) }, func(dst, src *Deal) { dst.ParentID = src.ParentID }),
		field("CountsTowardTotal", func(d *Deal) string { return strconv.FormatBool(d.CountsTowardTotal) },
			func(dst, src *Deal) { dst.CountsTowardTotal = src.CountsTowardTotal }),
	}
	deals := []*Deal{theirs, mine}
	if base != nil {
		deals = append(deals, base)
	}
	for _, code := range union(deals, func(d *Deal) []string { return d.Parties }) {
		parts = append(parts, setElement("Parties:"+code, code, func(d *Deal) *[]string { return &d.Parties }))
	}
	for _, p := range union(deals, func(d *Deal) []int64 { return d.PriorityIDs }) {
		parts = append(parts, setElement("PriorityIDs:"+idText(p), p, func(d *Deal) *[]int64 { return &d.PriorityIDs }))
	}
	for _, o := range union(deals, organizationIDs) {
		parts = append(parts, field("Organizations:"+idText(o), func(d *Deal) string { return roleIn(d, o) }, func(dst, src *Deal) {
			dst.Organizations = slices.DeleteFunc(dst.Organizations, func(x DealOrganization) bool { return x.OrganizationID == o })
			if i := slices.IndexFunc(src.Organizations, func(x DealOrganization) bool { return x.OrganizationID == o }); i >= 0 {
				dst.Organizations = append(dst.Organizations, src.Organizations[i])
			}
		}))
	}
	conflicts := mergeParts(parts, base, theirs, mine, &merged)
	// An organization the form creates with the deal is only ever mine.
	for _, o := range mine.Organizations {
		if o.OrganizationID == 0 && o.New != nil {
			merged.Organizations = append(merged.Organizations, o)
		}
	}
	return merged, conflicts
}

// setElement is one element of a relation that holds or lacks it: a party, a priority.
func setElement[T comparable](key string, x T, set func(*Deal) *[]T) part[Deal] {
	return field(key, func(d *Deal) string { return strconv.FormatBool(slices.Contains(*set(d), x)) }, func(dst, src *Deal) {
		list := slices.DeleteFunc(*set(dst), func(y T) bool { return y == x })
		if slices.Contains(*set(src), x) {
			list = append(list, x)
		}
		*set(dst) = list
	})
}

func organizationIDs(d *Deal) []int64 {
	var ids []int64
	for _, o := range d.Organizations {
		if o.OrganizationID != 0 {
			ids = append(ids, o.OrganizationID)
		}
	}
	return ids
}

// roleIn is the organization's role in the deal, "" when it takes no part.
func roleIn(d *Deal, org int64) string {
	for _, o := range d.Organizations {
		if o.OrganizationID == org {
			return o.Role
		}
	}
	return ""
}

// union lists every element any of the records holds, once, in order of appearance.
func union[R any, T comparable](records []*R, of func(*R) []T) []T {
	var out []T
	for _, r := range records {
		for _, x := range of(r) {
			if !slices.Contains(out, x) {
				out = append(out, x)
			}
		}
	}
	return out
}

// MergePriority merges mine into theirs as MergeDeal does. The source
// (address, title, publisher) is one part: halves of two sources would
// describe neither.
func MergePriority(base, theirs, mine *Priority) (Priority, []string) {
	merged := *theirs
	merged.ChangeNote = mine.ChangeNote
	parts := []part[Priority]{
		field("Title", func(p *Priority) string { return p.Title }, func(dst, src *Priority) { dst.Title = src.Title }),
		field("Slug", func(p *Priority) string { return p.Slug }, func(dst, src *Priority) { dst.Slug = src.Slug }),
		field("Description", func(p *Priority) string { return p.Description }, func(dst, src *Priority) { dst.Description = src.Description }),
		field("Sector", func(p *Priority) string { return string(p.Sector) }, func(dst, src *Priority) { dst.Sector = src.Sector }),
		field("Source", func(p *Priority) string { return p.Source.URL + "\x00" + p.Source.Title + "\x00" + p.Source.Publisher },
			func(dst, src *Priority) { dst.Source = src.Source }),
	}
	return merged, mergeParts(parts, base, theirs, mine, &merged)
}

// MergeOrganization merges mine into theirs as MergeDeal does.
func MergeOrganization(base, theirs, mine *Organization) (Organization, []string) {
	merged := *theirs
	merged.ChangeNote = mine.ChangeNote
	parts := []part[Organization]{
		field("Name", func(o *Organization) string { return o.Name }, func(dst, src *Organization) { dst.Name = src.Name }),
		field("Slug", func(o *Organization) string { return o.Slug }, func(dst, src *Organization) { dst.Slug = src.Slug }),
		field("Kind", func(o *Organization) string { return o.Kind }, func(dst, src *Organization) { dst.Kind = src.Kind }),
		field("CountryCode", func(o *Organization) string { return o.CountryCode }, func(dst, src *Organization) { dst.CountryCode = src.CountryCode }),
		field("Description", func(o *Organization) string { return o.Description }, func(dst, src *Organization) { dst.Description = src.Description }),
	}
	return merged, mergeParts(parts, base, theirs, mine, &merged)
}

// MergeUpdate merges mine, a correction typed from the form of base, into
// theirs, the newest correction of base saved meanwhile, as MergeDeal
// does. The merged update is mine, a new correction, now of theirs: it
// keeps mine's reason. The parts are the stage, the date with its
// precision, the note, and the sources as one ordered list (what a source
// backs depends on the others cited with it).
func MergeUpdate(base, theirs, mine *StatusUpdate) (StatusUpdate, []string) {
	merged := *theirs
	merged.Sources = slices.Clone(theirs.Sources)
	merged.ID, merged.AuthorID, merged.AuthorName, merged.CreatedAt = mine.ID, mine.AuthorID, mine.AuthorName, mine.CreatedAt
	merged.DealID, merged.CorrectsID, merged.CorrectionReason = theirs.DealID, theirs.ID, mine.CorrectionReason
	return merged, mergeParts(updateParts(), base, theirs, mine, &merged)
}

// SaysSame reports whether u and o say the same: stage, date, note and
// sources, whoever wrote them and why.
func (u *StatusUpdate) SaysSame(o *StatusUpdate) bool {
	for _, p := range updateParts() {
		if p.of(u) != p.of(o) {
			return false
		}
	}
	return true
}

// updateParts are the parts of a status update a merge compares. The date
// and how much of it is known are one fact.
func updateParts() []part[StatusUpdate] {
	return []part[StatusUpdate]{
		field("Stage", func(u *StatusUpdate) string { return string(u.Stage) }, func(dst, src *StatusUpdate) { dst.Stage = src.Stage }),
		field("OccurredOn", occurredText, func(dst, src *StatusUpdate) {
			dst.OccurredOn, dst.OccurredPrecision = src.OccurredOn, src.OccurredPrecision
		}),
		field("Note", func(u *StatusUpdate) string { return u.Note }, func(dst, src *StatusUpdate) { dst.Note = src.Note }),
		field("Sources", sourcesText, func(dst, src *StatusUpdate) { dst.Sources = slices.Clone(src.Sources) }),
	}
}

// occurredText is the date with its precision, an empty one a day's.
func occurredText(u *StatusUpdate) string {
	return dayText(u.OccurredOn) + " " + string(precisionOrDay(u.OccurredPrecision))
}

func precisionOrDay(p Precision) Precision {
	if p == "" {
		return Day
	}
	return p
}

// sourcesText is an update's sources as they are cited, without their ids
// (a form's sources have none until saved).
func sourcesText(u *StatusUpdate) string {
	var b strings.Builder
	for _, s := range u.Sources {
		for _, f := range []string{s.URL, s.Title, s.Publisher, dayText(s.PublishedOn), s.Language} {
			b.WriteString(f)
			b.WriteByte(0)
		}
		b.WriteByte('\n')
	}
	return b.String()
}
