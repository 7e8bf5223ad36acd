package server

import (
	"encoding/csv"
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"summitledger/internal/ledger"
	"summitledger/web"
)

// dealsPerPage is the length of a page of the deals list.
const dealsPerPage = 25

// dealFilter reads the deals list's query string. Each facet (country,
// sector, stage, summit, organization) may repeat, at most
// ledger.MaxFacetValues times: its values are alternatives. Countries are
// ISO codes in any case (kz) or slugs (kazakhstan), summits and
// organizations slugs; q is a search, sort one of updated, value, announced
// or relevance, page a number from 1. The store then checks the countries,
// summits and organizations (resolveFilter).
func dealFilter(q url.Values) (ledger.DealFilter, error) {
	f := ledger.DealFilter{Query: strings.TrimSpace(q.Get("q")), Sort: q.Get("sort"), Page: 1, PerPage: dealsPerPage}
	f.Countries = q["country"]
	for _, s := range q["sector"] {
		f.Sectors = append(f.Sectors, ledger.Sector(s))
	}
	for _, s := range q["stage"] {
		f.Stages = append(f.Stages, ledger.Stage(s))
	}
	f.Summits, f.Organizations = q["summit"], q["organization"]
	if p := q.Get("page"); p != "" {
		n, err := strconv.Atoi(p)
		if err != nil || n < 1 {
			return f, ledger.Errorf(ledger.EINVALID, "%s is not a page number: pages are numbered from 1.", ledger.Quote(p))
		}
		f.Page = n
	}
	return f, f.Validate()
}

// resolveFilter reads the query string's filter and has the store check
// its countries, summits and organizations: any error is the request's.
func (s *Server) resolveFilter(r *http.Request) (ledger.DealFilter, error) {
	f, err := dealFilter(r.URL.Query())
	if err != nil {
		return f, err
	}
	return s.DB.ResolveDealFilter(r.Context(), f)
}

// listQuery is the filter written back as a query string, without the page,
// in a stable order, so that links built from it are canonical.
func listQuery(f ledger.DealFilter, raw url.Values) url.Values {
	q := url.Values{}
	for _, c := range f.Countries {
		q.Add("country", strings.ToLower(c))
	}
	for _, s := range f.Sectors {
		q.Add("sector", string(s))
	}
	for _, s := range f.Stages {
		q.Add("stage", string(s))
	}
	for _, s := range f.Summits {
		q.Add("summit", s)
	}
	for _, o := range f.Organizations {
		q.Add("organization", o)
	}
	if f.Query != "" {
		q.Set("q", f.Query)
	}
	if raw.Get("sort") != "" {
		q.Set("sort", f.Sort)
	}
	return q
}

// dealList renders the deals list with its facets.
func (s *Server) dealList(w http.ResponseWriter, r *http.Request) {
	f, err := s.resolveFilter(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	res, err := s.DB.FindDeals(r.Context(), f)
	if err != nil {
		s.error(w, r, err)
		return
	}
	q := listQuery(f, r.URL.Query())
	v := web.DealListView{R: *res, F: f, Query: q, Pages: (res.Total + f.PerPage - 1) / f.PerPage,
		CSVHref: exportHref("/deals.csv", q), JSONHref: exportHref("/deals.json", q)}
	p := s.page(r, "Deals")
	if f.Query != "" {
		p.Title = "Deals matching “" + f.Query + "”"
	}
	p.Description = "Every commitment tracked, with its stage: filter by country, sector, stage, summit and organization."
	p.Canonical = s.absURL(r, v.PageHref(f.Page))
	s.render(w, r, http.StatusOK, web.DealList(p, v))
}

func exportHref(path string, q url.Values) string {
	if len(q) == 0 {
		return path
	}
	return path + "?" + q.Encode()
}

// exportRow is one deal in the CSV and JSON downloads.
type exportRow struct {
	ID                int64    `json:"id"`
	URL               string   `json:"url"`
	Title             string   `json:"title"`
	Stage             string   `json:"stage"`
	StageClass        string   `json:"stage_class"`
	StageOn           string   `json:"stage_on"`
	Sector            string   `json:"sector"`
	ValueAmount       string   `json:"value_amount"`
	ValueCurrency     string   `json:"value_currency"`
	ValueNote         string   `json:"value_note"`
	ExcludedFromTotal string   `json:"excluded_from_total"`
	AnnouncedOn       string   `json:"announced_on"`
	Summit            string   `json:"summit"`
	ParentID          int64    `json:"parent_id,omitempty"`
	Parties           []string `json:"parties"`
	Organizations     []string `json:"organizations"`
}

var exportHeader = []string{"id", "url", "title", "stage", "stage_class", "stage_on", "sector", "value_amount", "value_currency",
	"value_note", "excluded_from_total", "announced_on", "summit", "parent_id", "parties", "organizations"}

func (e exportRow) record() []string {
	parent := ""
	if e.ParentID != 0 {
		parent = strconv.FormatInt(e.ParentID, 10)
	}
	return []string{strconv.FormatInt(e.ID, 10), e.URL, e.Title, e.Stage, e.StageClass, e.StageOn, e.Sector,
		e.ValueAmount, e.ValueCurrency, e.ValueNote, e.ExcludedFromTotal, e.AnnouncedOn, e.Summit, parent,
		strings.Join(e.Parties, ";"), strings.Join(e.Organizations, ";")}
}

// dealExport answers /deals.csv and /deals.json: every deal the same query
// string lists, unpaged.
func (s *Server) dealExport(format string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		f, err := s.resolveFilter(r)
		if err != nil {
			s.error(w, r, err)
			return
		}
		deals, err := s.DB.ExportDeals(r.Context(), f)
		if err != nil {
			s.error(w, r, err)
			return
		}
		rows := make([]exportRow, len(deals))
		for i, d := range deals {
			rows[i] = s.exportRow(r, d)
		}
		w.Header().Set("Content-Disposition", `inline; filename="summit-ledger-deals-`+time.Now().UTC().Format("2006-01-02")+`.`+format+`"`)
		if format == "json" {
			w.Header().Set("Content-Type", "application/json; charset=utf-8")
			enc := json.NewEncoder(w)
			enc.SetIndent("", "  ")
			enc.Encode(map[string]any{"count": len(rows), "deals": rows}) //nolint:errcheck // the client went away
			return
		}
		w.Header().Set("Content-Type", "text/csv; charset=utf-8")
		cw := csv.NewWriter(w)
		cw.Write(exportHeader) //nolint:errcheck // checked by Flush's Error below
		for _, row := range rows {
			cw.Write(csvSafe(row.record())) //nolint:errcheck
		}
		cw.Flush()
		if err := cw.Error(); err != nil {
			s.Log.Warn("csv export", "err", err)
		}
	}
}

func (s *Server) exportRow(r *http.Request, d ledger.DealSummary) exportRow {
	e := exportRow{ID: d.ID, URL: s.absURL(r, web.DealHref(d.ID, d.Slug)), Title: d.Title, Stage: string(d.Stage),
		StageClass: string(d.Stage.Info().Class), StageOn: exportDay(d.StageOn), Sector: string(d.Sector), ValueNote: d.ValueNote,
		ExcludedFromTotal: string(d.Exclusion), AnnouncedOn: exportDay(d.AnnouncedOn), Summit: d.Summit.Slug, ParentID: d.ParentID,
		Parties: []string{}, Organizations: []string{}}
	if d.Value != nil {
		e.ValueAmount = strconv.FormatInt(d.Value.Cents/100, 10) + "." + twoDigits(d.Value.Cents%100)
		e.ValueCurrency = d.Value.Currency
	}
	for _, c := range d.Parties {
		e.Parties = append(e.Parties, c.Code)
	}
	for _, o := range d.Organizations {
		e.Organizations = append(e.Organizations, o.Name+" ("+o.Role+")")
	}
	return e
}

func exportDay(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(time.DateOnly)
}

func twoDigits(n int64) string {
	if n < 10 {
		return "0" + strconv.FormatInt(n, 10)
	}
	return strconv.FormatInt(n, 10)
}

// csvSafe stops a spreadsheet from reading a cell as a formula: a leading
// =, +, - or @ gets a quote mark before it.
func csvSafe(rec []string) []string {
	for i, c := range rec {
		if c != "" && strings.ContainsRune("=+-@\t\r", rune(c[0])) {
			rec[i] = "'" + c
		}
	}
	return rec
}
