package server

import (
	"encoding/csv"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"time"

	"summitledger/internal/ledger"
	"summitledger/web"
)

// sourceShow answers /sources/{id}: a source and everything that cites it.
func (s *Server) sourceShow(w http.ResponseWriter, r *http.Request) {
	id, ok := urlID(r)
	if !ok {
		s.error(w, r, ledger.Errorf(ledger.ENOTFOUND, "There is no such source."))
		return
	}
	sp, err := s.DB.SourcePageByID(r.Context(), id)
	if err != nil {
		s.error(w, r, err)
		return
	}
	p := s.page(r, sp.Source.Title)
	p.Description = "Everything in the ledger that cites " + sp.Source.Title + ", " + sp.Source.Publisher + "."
	p.Canonical = s.absURL(r, web.SourceHref(id))
	s.render(w, r, http.StatusOK, web.SourcePage(p, web.SourceView{S: *sp, Editor: p.User != nil}))
}

// updateFilter reads /updates.json and /updates.csv's query string: the
// deal list's facets and search, and since and until as YYYY-MM-DD.
func (s *Server) updateFilter(r *http.Request) (ledger.UpdateFilter, error) {
	q := r.URL.Query()
	df, err := s.resolveFilter(r)
	if err != nil {
		return ledger.UpdateFilter{}, err
	}
	f := ledger.UpdateFilter{Deals: df}
	for name, day := range map[string]*time.Time{"since": &f.Since, "until": &f.Until} {
		if raw := q.Get(name); raw != "" {
			if *day, err = ledger.ParseDay(raw); err != nil {
				return f, ledger.Errorf(ledger.EINVALID, "%s=%s: %s", name, raw, ledger.ErrorMessage(err))
			}
		}
	}
	return f, f.Validate()
}

// updateRow is one status update in the CSV and JSON downloads.
type updateRow struct {
	ID                int64          `json:"id"`
	DealID            int64          `json:"deal_id"`
	DealURL           string         `json:"deal_url"`
	Stage             string         `json:"stage"`
	OccurredOn        string         `json:"occurred_on"`
	OccurredPrecision string         `json:"occurred_precision"`
	Note              string         `json:"note"`
	CorrectsID        *int64         `json:"corrects_id"`
	CorrectedByID     *int64         `json:"corrected_by_id"`
	RecordedAt        string         `json:"recorded_at"`
	Sources           []sourceExport `json:"sources"`
}

// sourceExport is one cited source in the downloads.
type sourceExport struct {
	URL         string  `json:"url"`
	Title       string  `json:"title"`
	Publisher   string  `json:"publisher"`
	PublishedOn *string `json:"published_on"` // null when the page gives no date
	Language    string  `json:"language"`
}

// sourceJoin separates the sources of one update within a CSV cell: the
// n-th part of each source_ column is one source, the first the primary.
const sourceJoin = " | "

var updateHeader = []string{"id", "deal_id", "deal_url", "stage", "occurred_on", "occurred_precision", "note",
	"corrects_id", "corrected_by_id", "recorded_at", "source_urls", "source_titles", "source_publishers",
	"source_published_on", "source_languages"}

func (u updateRow) record() []string {
	id := func(p *int64) string {
		if p == nil {
			return ""
		}
		return strconv.FormatInt(*p, 10)
	}
	cols := make([][]string, 5)
	for _, s := range u.Sources {
		published := ""
		if s.PublishedOn != nil {
			published = *s.PublishedOn
		}
		for i, v := range []string{s.URL, s.Title, s.Publisher, published, s.Language} {
			cols[i] = append(cols[i], strings.ReplaceAll(v, "|", "/"))
		}
	}
	rec := []string{strconv.FormatInt(u.ID, 10), strconv.FormatInt(u.DealID, 10), u.DealURL, u.Stage, u.OccurredOn,
		u.OccurredPrecision, u.Note, id(u.CorrectsID), id(u.CorrectedByID), u.RecordedAt}
	for _, c := range cols {
		rec = append(rec, strings.Join(c, sourceJoin))
	}
	return rec
}

// updateExport answers /updates.csv and /updates.json: every status update
// of the deals the query string selects, newest first, with its sources.
func (s *Server) updateExport(format string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		f, err := s.updateFilter(r)
		if err != nil {
			s.error(w, r, err)
			return
		}
		entries, err := s.DB.FindUpdates(r.Context(), f)
		if err != nil {
			s.error(w, r, err)
			return
		}
		rows := make([]updateRow, len(entries))
		for i, e := range entries {
			rows[i] = s.updateRow(r, e)
		}
		w.Header().Set("Content-Disposition", `inline; filename="summit-ledger-updates-`+time.Now().UTC().Format("2006-01-02")+`.`+format+`"`)
		if format == "json" {
			w.Header().Set("Content-Type", "application/json; charset=utf-8")
			enc := json.NewEncoder(w)
			enc.SetIndent("", "  ")
			enc.Encode(map[string]any{"count": len(rows), "updates": rows}) //nolint:errcheck // the client went away
			return
		}
		w.Header().Set("Content-Type", "text/csv; charset=utf-8")
		cw := csv.NewWriter(w)
		cw.Write(updateHeader) //nolint:errcheck // checked by Flush's Error below
		for _, row := range rows {
			cw.Write(csvSafe(row.record())) //nolint:errcheck
		}
		cw.Flush()
		if err := cw.Error(); err != nil {
			s.Log.Warn("csv export", "err", err)
		}
	}
}

func (s *Server) updateRow(r *http.Request, e ledger.TimelineEntry) updateRow {
	u := e.Update
	row := updateRow{ID: u.ID, DealID: u.DealID, DealURL: s.absURL(r, web.DealHref(e.Deal.ID, e.Deal.Slug)),
		Stage: string(u.Stage), OccurredOn: exportDay(u.OccurredOn), OccurredPrecision: string(u.OccurredPrecision),
		Note: u.Note, RecordedAt: u.CreatedAt.UTC().Format(time.RFC3339), Sources: []sourceExport{}}
	if u.CorrectsID != 0 {
		row.CorrectsID = &u.CorrectsID
	}
	if e.CorrectedBy != 0 {
		row.CorrectedByID = &e.CorrectedBy
	}
	for _, src := range u.Sources {
		se := sourceExport{URL: src.URL, Title: src.Title, Publisher: src.Publisher, Language: src.Language}
		if !src.PublishedOn.IsZero() {
			day := exportDay(src.PublishedOn)
			se.PublishedOn = &day
		}
		row.Sources = append(row.Sources, se)
	}
	return row
}
