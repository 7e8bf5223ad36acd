package server

import (
	"net/url"
	"time"

	"summitledger/internal/ledger"
	"summitledger/web"
)

// updateFields are the status update form's field names, in form order.
// They are part of the interface: scripts and tests post them. The source_
// fields repeat: the n-th of each is one source, the first the primary.
var updateFields = []string{"stage", "occurred_on", "occurred_precision", "note", "source_url", "source_title", "source_publisher",
	"source_published_on", "source_language", "correction_reason"}

// updateForm is the status update form (and the correction form) as typed.
type updateForm struct {
	web.UpdateValues
}

// decodeUpdateForm reads the form's fields from v, as typed. Source rows
// left wholly empty are dropped, so the rows kept are numbered as shown again.
func decodeUpdateForm(v url.Values) updateForm {
	return updateForm{web.UpdateValues{
		Stage:            v.Get("stage"),
		OccurredOn:       v.Get("occurred_on"),
		Precision:        v.Get("occurred_precision"),
		Note:             v.Get("note"),
		Sources:          decodeSourceRows(v),
		CorrectionReason: v.Get("correction_reason"),
	}}
}

// decodeSourceRows pairs the n-th source_url, source_title,
// source_publisher, source_published_on and source_language, skipping
// rows with nothing typed. At most ledger.MaxSources+1 rows are read, so
// that one too many is reported and a huge form costs nothing more.
func decodeSourceRows(v url.Values) []web.SourceRow {
	cols := [5][]string{v["source_url"], v["source_title"], v["source_publisher"], v["source_published_on"], v["source_language"]}
	n := 0
	for _, c := range cols {
		n = max(n, len(c))
	}
	at := func(c []string, i int) string {
		if i < len(c) {
			return c[i]
		}
		return ""
	}
	var rows []web.SourceRow
	for i := 0; i < n && len(rows) <= ledger.MaxSources; i++ {
		r := web.SourceRow{URL: at(cols[0], i), Title: at(cols[1], i), Publisher: at(cols[2], i),
			PublishedOn: at(cols[3], i), Language: at(cols[4], i)}
		if r != (web.SourceRow{}) {
			rows = append(rows, r)
		}
	}
	return rows
}

// encodeSourceRows adds rows to v as a browser would post them.
func encodeSourceRows(v url.Values, rows []web.SourceRow) {
	for _, r := range rows {
		v.Add("source_url", r.URL)
		v.Add("source_title", r.Title)
		v.Add("source_publisher", r.Publisher)
		v.Add("source_published_on", r.PublishedOn)
		v.Add("source_language", r.Language)
	}
}

// sourceRowsFrom fills source rows from cited sources.
func sourceRowsFrom(srcs []ledger.Source) []web.SourceRow {
	rows := make([]web.SourceRow, len(srcs))
	for i, s := range srcs {
		rows[i] = web.SourceRow{URL: s.URL, Title: s.Title, Publisher: s.Publisher,
			PublishedOn: formatDay(s.PublishedOn), Language: s.Language}
	}
	return rows
}

// validateSourceRows returns the sources the rows describe, adding what is
// wrong with each to fe under its row's field names (source_url-0).
func validateSourceRows(fe *ledger.FieldErrors, rows []web.SourceRow) []ledger.Source {
	out := make([]ledger.Source, 0, len(rows))
	for i, r := range rows {
		s := ledger.Source{URL: cleanLine(r.URL), Title: cleanLine(r.Title), Publisher: cleanLine(r.Publisher),
			Language: cleanLine(r.Language)}
		// Lengths and the rest are the ledger's rules (Source in StatusUpdate.Validate).
		for _, f := range []struct{ name, value string }{{"source_url", s.URL}, {"source_title", s.Title},
			{"source_publisher", s.Publisher}, {"source_language", s.Language}} {
			checkControl(fe, ledger.SourceField(f.name, i), f.value)
		}
		fe.Check(s.URL != "", ledger.SourceField("source_url", i), "Enter the web address of the source.")
		if day := cleanLine(r.PublishedOn); day != "" {
			if t, ok := parseDay(day); ok {
				s.PublishedOn = t
			} else {
				fe.Add(ledger.SourceField("source_published_on", i), dayProblem(day, "Enter the date as YYYY-MM-DD, or leave it empty."))
			}
		}
		out = append(out, s)
	}
	return out
}

// encode returns the form's fields as a browser would post them.
func (f updateForm) encode() url.Values {
	v := url.Values{}
	set := func(k, s string) {
		if s != "" {
			v.Set(k, s)
		}
	}
	set("stage", f.Stage)
	set("occurred_on", f.OccurredOn)
	set("occurred_precision", f.Precision)
	set("note", f.Note)
	encodeSourceRows(v, f.Sources)
	set("correction_reason", f.CorrectionReason)
	return v
}

// updateFormFrom fills the form from an update, to correct it.
func updateFormFrom(u ledger.StatusUpdate) updateForm {
	return updateForm{web.UpdateValues{
		Stage: string(u.Stage), OccurredOn: formatDay(u.OccurredOn), Precision: string(u.OccurredPrecision), Note: u.Note,
		Sources: sourceRowsFrom(u.Sources), CorrectionReason: u.CorrectionReason,
	}}
}

// validate returns the update the form describes and what is wrong with
// it. A correction needs a reason. No date may lie after today, a day's
// grace given for time zones.
func (f updateForm) validate(today time.Time, correcting bool) (ledger.StatusUpdate, ledger.FieldErrors) {
	var fe ledger.FieldErrors
	u := ledger.StatusUpdate{
		Stage:             ledger.Stage(cleanLine(f.Stage)),
		OccurredPrecision: ledger.Precision(cleanLine(f.Precision)),
		Note:              cleanText(f.Note),
	}
	if u.OccurredPrecision == "" {
		u.OccurredPrecision = ledger.Day
	}
	fe.Check(u.Stage.Valid(), "stage", "Choose a stage.")
	if day := cleanLine(f.OccurredOn); day == "" {
		fe.Add("occurred_on", "Enter the date it happened.")
	} else if t, ok := parseDay(day); !ok {
		fe.Add("occurred_on", dayProblem(day, "Enter the date as YYYY-MM-DD, for example 2025-11-06."))
	} else {
		u.OccurredOn = t
		fe.Check(!t.After(today.AddDate(0, 0, 1)), "occurred_on", "The date cannot be in the future.")
	}
	checkText(&fe, "note", u.Note, 5000)
	u.Sources = validateSourceRows(&fe, f.Sources)
	if correcting {
		u.CorrectionReason = cleanText(f.CorrectionReason)
		checkText(&fe, "correction_reason", u.CorrectionReason, 2000)
		fe.Check(u.CorrectionReason != "", "correction_reason", "Say why the update is corrected.")
	}
	// The domain's own rules: at least one source, each with an http(s)
	// address, a title and a publisher.
	mergeInvalid(&fe, u.Validate(), nil) //nolint:errcheck // Validate returns only EINVALID with fields
	return u, fe
}
