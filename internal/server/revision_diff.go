package server

import (
	"bytes"
	"encoding/json"
	"slices"
	"strconv"
	"strings"
	"time"

	"summitledger/internal/ledger"
	"summitledger/internal/postgres"
	"summitledger/web"
)

// revisionFields names the fields of revision JSON for people, in the
// order a diff lists them. Deal, priority, organization and status update
// records share the table; the lowercase keys are those of the stage
// revisions a status update writes.
var revisionFields = []struct{ key, label string }{
	{"Title", "Title"}, {"Name", "Name"}, {"Slug", "Slug"}, {"Summary", "Summary"},
	{"Description", "Description"}, {"Kind", "Kind"}, {"CountryCode", "Country"}, {"Sector", "Sector"},
	{"Stage", "Stage"}, {"stage", "Stage"}, {"StageOn", "Stage since"}, {"stage_on", "Stage since"},
	{"OccurredOn", "Date it happened"}, {"OccurredPrecision", "Date known to the"}, {"Note", "Note"},
	{"Sources", "Sources"}, {"ChangeSources", "Sources of the change"}, {"Source.URL", "Source address"}, {"Source.Title", "Source title"}, {"Source.Publisher", "Source publisher"},
	{"CorrectsID", "Corrects update"}, {"CorrectionReason", "Reason for the correction"},
	{"Parties", "Parties"}, {"Organizations", "Organizations"}, {"PriorityIDs", "Priorities advanced"},
	{"Value", "Value"}, {"ValueNote", "Note on the value"}, {"AnnouncedOn", "Announced on"},
	{"AnnouncedPrecision", "Announcement date known to the"},
	{"SummitID", "Summit"}, {"ParentID", "Part of"}, {"CountsTowardTotal", "Counts toward totals"},
	{"LastVerifiedOn", "Last verified"}, {"DeletedAt", "Deleted"}, {"DeletedReason", "Reason for deletion"},
}

// hiddenFields are bookkeeping, not facts a reader needs to see change.
var hiddenFields = []string{"ID", "Version", "CreatedAt", "UpdatedAt", "AuthorID", "AuthorName", "DealID", "New"}

// dayFields hold dates; DeletedAt is a moment.
var dayFields = []string{"StageOn", "stage_on", "OccurredOn", "AnnouncedOn", "LastVerifiedOn"}

// flatRecord reads a revision's JSON into its fields, with nested objects
// other than Value one level flattened ("Source.URL"). Bad JSON reads as empty.
func flatRecord(raw []byte) map[string]json.RawMessage {
	out := map[string]json.RawMessage{}
	var m map[string]json.RawMessage
	if len(raw) == 0 || json.Unmarshal(raw, &m) != nil {
		return out
	}
	for k, v := range m {
		var inner map[string]json.RawMessage
		if k != "Value" && bytes.HasPrefix(bytes.TrimSpace(v), []byte("{")) && json.Unmarshal(v, &inner) == nil {
			for ik, iv := range inner {
				out[k+"."+ik] = iv
			}
			continue
		}
		out[k] = v
	}
	return out
}

// nameIDs collects the ids in revision records that are shown by name.
func nameIDs(records ...[]byte) postgres.NameIDs {
	var ids postgres.NameIDs
	add := func(list *[]int64, id int64) {
		if id != 0 && !slices.Contains(*list, id) {
			*list = append(*list, id)
		}
	}
	for _, raw := range records {
		var r struct {
			Organizations []ledger.DealOrganization
			PriorityIDs   []int64
			SummitID      int64
			ParentID      int64
		}
		if len(raw) == 0 || json.Unmarshal(raw, &r) != nil {
			continue
		}
		for _, o := range r.Organizations {
			add(&ids.Organizations, o.OrganizationID)
		}
		for _, p := range r.PriorityIDs {
			add(&ids.Priorities, p)
		}
		add(&ids.Summits, r.SummitID)
		add(&ids.Deals, r.ParentID)
	}
	return ids
}

// diffRecords lists each field that differs between two revision records,
// as text with ids shown by name. A nil before lists everything after has.
func diffRecords(before, after []byte, n *postgres.Names) []web.FieldChange {
	return diffRecordsOf(before, after, n, nil)
}

// diffRecordsOf is diffRecords of the fields keep accepts (all when nil).
func diffRecordsOf(before, after []byte, n *postgres.Names, keep func(key string) bool) []web.FieldChange {
	b, a := flatRecord(before), flatRecord(after)
	var keys []string
	for k := range b {
		keys = append(keys, k)
	}
	for k := range a {
		if _, ok := b[k]; !ok {
			keys = append(keys, k)
		}
	}
	rank := func(k string) int {
		for i, f := range revisionFields {
			if f.key == k {
				return i
			}
		}
		return len(revisionFields)
	}
	slices.SortFunc(keys, func(x, y string) int {
		if d := rank(x) - rank(y); d != 0 {
			return d
		}
		return strings.Compare(x, y)
	})
	var out []web.FieldChange
	for _, k := range keys {
		if slices.Contains(hiddenFields, k) || keep != nil && !keep(k) {
			continue
		}
		bs, as := formatField(k, b[k], n), formatField(k, a[k], n)
		if bs == as {
			continue
		}
		out = append(out, web.FieldChange{Field: fieldLabel(k), Before: bs, After: as})
	}
	return out
}

func fieldLabel(key string) string {
	for _, f := range revisionFields {
		if f.key == key {
			return f.label
		}
	}
	return key
}

// formatField shows one field's JSON value as text; null, absent and zero
// dates are "".
func formatField(key string, raw json.RawMessage, n *postgres.Names) string {
	if len(raw) == 0 || string(raw) == "null" {
		return ""
	}
	switch {
	case key == "Parties":
		var codes []string
		json.Unmarshal(raw, &codes) //nolint:errcheck // shown as empty when malformed
		for i, c := range codes {
			codes[i] = nameOr(n.Countries[c], c)
		}
		return strings.Join(codes, ", ")
	case key == "Sources" || key == "ChangeSources":
		var srcs []ledger.Source
		json.Unmarshal(raw, &srcs) //nolint:errcheck
		parts := make([]string, len(srcs))
		for i, s := range srcs {
			parts[i] = s.Title + ", " + s.Publisher + " (" + s.URL + ")"
		}
		return strings.Join(parts, "; ")
	case key == "CountryCode":
		var c string
		json.Unmarshal(raw, &c) //nolint:errcheck
		return nameOr(n.Countries[c], c)
	case key == "Organizations":
		var orgs []ledger.DealOrganization
		json.Unmarshal(raw, &orgs) //nolint:errcheck
		parts := make([]string, len(orgs))
		for i, o := range orgs {
			parts[i] = nameOr(n.Organizations[o.OrganizationID], "#"+strconv.FormatInt(o.OrganizationID, 10)) + " (" + o.Role + ")"
		}
		return strings.Join(parts, "; ")
	case key == "PriorityIDs":
		var ids []int64
		json.Unmarshal(raw, &ids) //nolint:errcheck
		parts := make([]string, len(ids))
		for i, id := range ids {
			parts[i] = nameOr(n.Priorities[id], "#"+strconv.FormatInt(id, 10))
		}
		return strings.Join(parts, "; ")
	case key == "SummitID" || key == "ParentID" || key == "CorrectsID":
		var id int64
		json.Unmarshal(raw, &id) //nolint:errcheck
		switch {
		case id == 0:
			return ""
		case key == "SummitID":
			return nameOr(n.Summits[id], "#"+strconv.FormatInt(id, 10))
		case key == "ParentID":
			return nameOr(n.Deals[id], "#"+strconv.FormatInt(id, 10))
		}
		return "update #" + strconv.FormatInt(id, 10)
	case key == "Value":
		var m ledger.Money
		json.Unmarshal(raw, &m) //nolint:errcheck
		return formatMoney(m)
	case key == "Sector":
		var s ledger.Sector
		json.Unmarshal(raw, &s) //nolint:errcheck
		return nameOr(s.Label(), string(s))
	case key == "Stage" || key == "stage":
		var s ledger.Stage
		json.Unmarshal(raw, &s) //nolint:errcheck
		return s.Label()
	case slices.Contains(dayFields, key) || key == "DeletedAt":
		var t time.Time
		if json.Unmarshal(raw, &t) != nil || t.IsZero() {
			return ""
		}
		if key == "DeletedAt" {
			return t.UTC().Format("2006-01-02 15:04 UTC")
		}
		return t.Format(time.DateOnly)
	}
	var v any
	if json.Unmarshal(raw, &v) != nil {
		return string(raw)
	}
	switch v := v.(type) {
	case string:
		return v
	case bool:
		if v {
			return "yes"
		}
		return "no"
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64)
	}
	return string(raw)
}

func nameOr(name, fallback string) string {
	if name != "" {
		return name
	}
	return fallback
}

// formatMoney shows an amount with its currency and thousands separators.
func formatMoney(m ledger.Money) string {
	whole := strconv.FormatInt(m.Cents/100, 10)
	var b strings.Builder
	for i, r := range whole {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	if c := m.Cents % 100; c != 0 {
		b.WriteString("." + formatAmount(c)[2:])
	}
	return strings.TrimSpace(m.Currency + " " + b.String())
}
