package server

import (
	"net/url"
	"time"

	"summitledger/internal/ledger"
	"summitledger/web"
)

// updateFields are the status update form's field names, in form order.
// They are part of the interface: scripts and tests post them.
var updateFields = []string{"stage", "occurred_on", "note", "source_url", "source_title", "source_publisher", "correction_reason"}

// updateForm is the status update form (and the correction form) as typed.
type updateForm struct {
	web.UpdateValues
}

// decodeUpdateForm reads the form's fields from v, as typed.
func decodeUpdateForm(v url.Values) updateForm {
	return updateForm{web.UpdateValues{
		Stage:            v.Get("stage"),
		OccurredOn:       v.Get("occurred_on"),
		Note:             v.Get("note"),
		SourceURL:        v.Get("source_url"),
		SourceTitle:      v.Get("source_title"),
		SourcePublisher:  v.Get("source_publisher"),
		CorrectionReason: v.Get("correction_reason"),
	}}
}

// updateFormFrom fills the form from an update, to correct it.
func updateFormFrom(u ledger.StatusUpdate) updateForm {
	return updateForm{web.UpdateValues{
		Stage: string(u.Stage), OccurredOn: formatDay(u.OccurredOn), Note: u.Note,
		SourceURL: u.Source.URL, SourceTitle: u.Source.Title, SourcePublisher: u.Source.Publisher,
		CorrectionReason: u.CorrectionReason,
	}}
}

// validate returns the update the form describes and what is wrong with
// it. A correction needs a reason. No date may lie after today, a day's
// grace given for time zones.
func (f updateForm) validate(today time.Time, correcting bool) (ledger.StatusUpdate, ledger.FieldErrors) {
	var fe ledger.FieldErrors
	u := ledger.StatusUpdate{
		Stage: ledger.Stage(cleanLine(f.Stage)),
		Note:  cleanText(f.Note),
		Source: ledger.Source{
			URL:       cleanLine(f.SourceURL),
			Title:     cleanLine(f.SourceTitle),
			Publisher: cleanLine(f.SourcePublisher),
		},
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
	checkText(&fe, "source_url", u.Source.URL, 2000)
	fe.Check(u.Source.URL != "", "source_url", "Enter the web address of the source.")
	checkText(&fe, "source_title", u.Source.Title, 300)
	checkText(&fe, "source_publisher", u.Source.Publisher, 200)
	if correcting {
		u.CorrectionReason = cleanText(f.CorrectionReason)
		checkText(&fe, "correction_reason", u.CorrectionReason, 2000)
		fe.Check(u.CorrectionReason != "", "correction_reason", "Say why the update is corrected.")
	}
	// The domain's own rules: a source with an http(s) address, title and publisher.
	mergeInvalid(&fe, u.Validate(), nil) //nolint:errcheck // Validate returns only EINVALID with fields
	return u, fe
}
