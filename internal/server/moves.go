package server

import (
	"encoding/csv"
	"encoding/xml"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"summitledger/internal/ledger"
	"summitledger/web"
)

// movesWindow reads since and until (YYYY-MM-DD, both included); without
// them the window is the 30 days up to today.
func movesWindow(q url.Values) (ledger.Window, error) {
	y, m, d := time.Now().UTC().Date()
	w := ledger.Window{Until: time.Date(y, m, d, 0, 0, 0, 0, time.UTC)}
	w.Since = w.Until.AddDate(0, 0, -30)
	for name, dst := range map[string]*time.Time{"since": &w.Since, "until": &w.Until} {
		if raw := q.Get(name); raw != "" {
			day, err := ledger.ParseDay(raw)
			if err != nil {
				return w, err
			}
			*dst = day
		}
	}
	if q.Get("since") == "" && q.Get("until") != "" {
		w.Since = w.Until.AddDate(0, 0, -30)
	}
	return w, w.Validate()
}

// movesQuery is the window as a query string, for links and downloads.
func movesQuery(w ledger.Window) string {
	return url.Values{"since": {w.Since.Format(time.DateOnly)}, "until": {w.Until.Format(time.DateOnly)}}.Encode()
}

// moves answers /moves, /moves.csv and /moves.atom: the deals whose stage
// changed in the window, from what to what, with the source of each move.
func (s *Server) moves(format string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		win, err := movesWindow(r.URL.Query())
		if err != nil {
			s.error(w, r, err)
			return
		}
		list, err := s.DB.Moves(r.Context(), win)
		if err != nil {
			s.error(w, r, err)
			return
		}
		q := movesQuery(win)
		switch format {
		case "csv":
			s.movesCSV(w, r, list)
		case "atom":
			s.movesAtom(w, r, win, q, list)
		default:
			p := s.page(r, "What moved")
			p.Title = "What moved, " + web.WindowText(win)
			p.Description = "The deals whose stage changed between two days, from what to what, with the source of each move."
			p.Canonical = s.absURL(r, "/moves?"+q)
			p.Feed = "/moves.atom?" + q
			s.render(w, r, http.StatusOK, web.MovesPage(p, web.MovesView{Window: win, Moves: list, Query: q}))
		}
	}
}

var movesHeader = []string{"occurred_on", "occurred_precision", "deal_id", "deal_url", "deal_title", "from_stage", "to_stage",
	"update_url", "source_url", "source_title", "source_publisher"}

func (s *Server) movesCSV(w http.ResponseWriter, r *http.Request, list []ledger.Move) {
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="moves.csv"`)
	cw := csv.NewWriter(w)
	_ = cw.Write(movesHeader)
	abs := func(p string) string { return s.absURL(r, p) }
	for _, m := range list {
		_ = cw.Write(csvSafe([]string{m.On.Format(time.DateOnly), string(m.Precision), strconv.FormatInt(m.Deal.ID, 10),
			abs(web.DealHref(m.Deal.ID, m.Deal.Slug)), m.Deal.Title, string(m.From), string(m.To),
			abs(web.UpdateHref(m.UpdateID)), m.Source.URL, m.Source.Title, m.Source.Publisher}))
	}
	cw.Flush()
}

func (s *Server) movesAtom(w http.ResponseWriter, r *http.Request, win ledger.Window, q string, list []ledger.Move) {
	abs := func(p string) string { return s.absURL(r, p) }
	feed := atomFeed{
		ID:     abs("/moves?" + q),
		Title:  "Summit Ledger: what moved, " + web.WindowText(win),
		Author: atomPerson{Name: "Summit Ledger", URI: abs("/")},
		Links: []atomLink{{Rel: "self", Type: "application/atom+xml", Href: abs("/moves.atom?" + q)},
			{Rel: "alternate", Type: "text/html", Href: abs("/moves?" + q)}},
		Updated: atomTime(win.Until),
	}
	var latest time.Time
	for _, m := range list {
		if m.RecordedAt.After(latest) {
			latest = m.RecordedAt
			feed.Updated = atomTime(latest)
		}
		body := xhtml{{{Text: web.MoveText(m) + " on " + m.On.Format("2 January 2006") + ": "},
			{Text: m.Deal.Title, Href: abs(web.DealHref(m.Deal.ID, m.Deal.Slug))}, {Text: "."}}}
		if m.Source.URL != "" {
			src := span{Text: m.Source.Title}
			if ledger.ValidSourceURL(m.Source.URL) {
				src.Href = m.Source.URL
			}
			body = append(body, []span{{Text: "Source: "}, src, {Text: ", " + m.Source.Publisher + "."}})
		}
		feed.Entries = append(feed.Entries, atomEntry{
			ID:        abs(web.UpdateHref(m.UpdateID)) + "#move",
			Title:     m.Deal.Title + ": " + web.MoveText(m),
			Link:      atomLink{Rel: "alternate", Type: "text/html", Href: abs(web.DealHref(m.Deal.ID, m.Deal.Slug) + "#update-" + strconv.FormatInt(m.UpdateID, 10))},
			Published: atomTime(m.RecordedAt),
			Updated:   atomTime(m.RecordedAt),
			Category:  atomCategory{Term: string(m.To), Label: m.To.Label()},
			Content:   body,
		})
	}
	w.Header().Set("Content-Type", "application/atom+xml; charset=utf-8")
	_, _ = w.Write([]byte(xml.Header))
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	_ = enc.Encode(feed)
}
