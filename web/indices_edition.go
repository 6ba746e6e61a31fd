package web

import (
	"bytes"
	"fmt"
	"net/http"
	"slices"

	"github.com/xuri/excelize/v2"

	"github.com/dxtrack/dxtrack"
	"github.com/dxtrack/dxtrack/composite"
	"github.com/dxtrack/dxtrack/locale"
)

// editionPage is the ranking of an edition at one node level, with the
// ranks of the same index's other editions by year.
type editionPage struct {
	V      *editionView
	Level  string
	Levels []levelOption
	Nodes  []*composite.Node // the columns
	Sort   string            // the node the rows are ordered by
	Rows   []rankingRow
	Years  []int // other editions' years, oldest first, then this one
	Prev   int   // the year compared with, 0 when none
	Stages []dxtrack.ScoreStage

	CanRun    bool // may refresh or derive
	CanScore  bool // may self-assess or appraise something
	Missing   int  // units without a total
	Countries bool // rows are not units of the system
}

// rankingRow is a unit's line of the ranking.
type rankingRow struct {
	Unit   composite.Unit
	Cells  []rankCell
	Years  []yearRank
	Move   int  // places gained since Prev (positive is up)
	Places int  // |Move|
	Moved  bool // Prev ranked the unit too
}

// rankCell is a node's figure for a unit.
type rankCell struct {
	Value   string
	Rank    int
	Missing bool
	Imputed bool
	Stage   dxtrack.ScoreStage
}

// yearRank is the total's rank in another year's edition.
type yearRank struct {
	Rank int
	Has  bool
}

// indexFigure formats a score as the index publishes it.
func indexFigure(p *locale.Printer, ix *composite.Index, sc composite.Score) string {
	if sc.Missing {
		return "—"
	}
	return p.Fixed(sc.Value, ix.Decimals)
}

// buildRanking computes the page's rows.
func (s *Server) buildRanking(r *http.Request, v *editionView) (*editionPage, error) {
	ctx := r.Context()
	p := locale.For(langFrom(ctx))
	q := r.URL.Query()
	d := &editionPage{V: v, Level: "index",
		Stages: []dxtrack.ScoreStage{dxtrack.StageData, dxtrack.StageSelf, dxtrack.StageAppraised, dxtrack.StageFinal}}
	all := levels(v.Index)
	for _, l := range all {
		d.Levels = append(d.Levels, levelOption{Value: l, Label: levelLabel(p, l)})
	}
	if l := q.Get("level"); slices.Contains(all, l) {
		d.Level = l
	}
	d.Nodes = nodesAt(v.Index, d.Level)
	d.Sort = v.Index.Root.Code
	if n := q.Get("sort"); n != "" && slices.ContainsFunc(d.Nodes, func(x *composite.Node) bool { return x.Code == n }) {
		d.Sort = n
	} else if d.Level != "index" && len(d.Nodes) > 0 {
		d.Sort = d.Nodes[0].Code
	}
	res := v.Result

	// The same index's other editions, by year.
	others, err := s.Indices.FindEditions(ctx, dxtrack.EditionFilter{IndexCode: v.Edition.IndexCode})
	if err != nil {
		return nil, err
	}
	type yearResult struct {
		year int
		res  *composite.Result
	}
	var past []yearResult
	for _, e := range others {
		if e.ID == v.Edition.ID || e.Year >= v.Edition.Year || e.Cohort != v.Edition.Cohort {
			continue
		}
		if slices.ContainsFunc(past, func(y yearResult) bool { return y.year == e.Year }) {
			continue
		}
		ov, err := s.loadEdition(ctx, e.ID)
		if err != nil {
			return nil, err
		}
		past = append(past, yearResult{e.Year, ov.Result})
	}
	slices.SortFunc(past, func(a, b yearResult) int { return a.year - b.year })
	moves := map[string]composite.Change{}
	if len(past) > 0 {
		last := past[len(past)-1]
		d.Prev = last.year
		for _, c := range composite.Compare(res, last.res) {
			if c.Node == v.Index.Root.Code {
				moves[c.Unit] = c
			}
		}
	}
	for _, y := range past {
		d.Years = append(d.Years, y.year)
	}

	order := make([]int, len(res.Units))
	for i := range order {
		order[i] = i
	}
	sortScores := res.Scores[d.Sort]
	slices.SortStableFunc(order, func(a, b int) int {
		sa, sb := sortScores[a], sortScores[b]
		switch {
		case sa.Missing != sb.Missing:
			if sa.Missing {
				return 1
			}
			return -1
		case sa.Rank != sb.Rank:
			return sa.Rank - sb.Rank
		}
		return 0
	})
	root := res.Scores[v.Index.Root.Code]
	for _, i := range order {
		u := res.Units[i]
		row := rankingRow{Unit: u}
		for _, n := range d.Nodes {
			sc := res.Scores[n.Code][i]
			row.Cells = append(row.Cells, rankCell{Value: indexFigure(p, v.Index, sc), Rank: sc.Rank, Missing: sc.Missing,
				Imputed: sc.Imputed, Stage: v.Stage(n.Code, u.Code)})
		}
		for _, y := range past {
			yr := yearRank{}
			if k := y.res.UnitIndex(u.Code); k >= 0 {
				if sc := y.res.Scores[v.Index.Root.Code][k]; !sc.Missing {
					yr = yearRank{Rank: sc.Rank, Has: true}
				}
			}
			row.Years = append(row.Years, yr)
		}
		if c, ok := moves[u.Code]; ok && c.HasPrev && !root[i].Missing {
			row.Move, row.Places, row.Moved = c.RankDelta, c.RankDelta, true
			if row.Places < 0 {
				row.Places = -row.Places
			}
		}
		if root[i].Missing {
			d.Missing++
		}
		d.Rows = append(d.Rows, row)
	}
	d.Countries = true
	for _, r := range v.Rows {
		if r.UnitID != 0 {
			d.Countries = false
		}
	}
	return d, nil
}

// showEdition shows an edition's ranking
// (GET /indices/editions/{id}?level=&sort=).
func (s *Server) showEdition(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	p := locale.For(langFrom(ctx))
	v, ok := s.editionFor(w, r, false)
	if !ok {
		return
	}
	d, err := s.buildRanking(r, v)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if u := dxtrack.UserFromContext(ctx); u != nil {
		d.CanRun = u.Role == dxtrack.RoleAdmin && !u.Disabled
		appraise, rows, err := s.Indices.ScoreRights(ctx, v.Edition.ID)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		d.CanScore = !v.Derived() && (appraise || len(rows) > 0)
	}
	s.render(w, r, http.StatusOK, "indices_edition", v.Edition.Name(p.Lang()), d)
}

// downloadEdition exports the ranking as shown to a workbook
// (GET /indices/editions/{id}/xlsx?level=&sort=).
func (s *Server) downloadEdition(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	p := locale.For(langFrom(ctx))
	v, ok := s.editionFor(w, r, false)
	if !ok {
		return
	}
	d, err := s.buildRanking(r, v)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	f := excelize.NewFile()
	defer f.Close()
	sh := "Sheet1"
	set := func(col, row int, val any) {
		cell, _ := excelize.CoordinatesToCellName(col, row)
		_ = f.SetCellValue(sh, cell, val)
	}
	set(1, 1, v.Edition.Name(p.Lang()))
	head := []string{p.T("indices.col.unit_code", nil), p.T("indices.col.unit", nil)}
	for _, n := range d.Nodes {
		name := nodeName(n, p.Lang())
		head = append(head, name, p.T("indices.col.rank_of", map[string]any{"Name": name}),
			p.T("indices.col.stage_of", map[string]any{"Name": name}))
	}
	for _, y := range d.Years {
		head = append(head, p.T("indices.col.rank_year", map[string]any{"Year": y}))
	}
	for i, h := range head {
		set(i+1, 3, h)
	}
	for k, row := range d.Rows {
		line := k + 4
		set(1, line, row.Unit.Code)
		set(2, line, row.Unit.Name)
		col := 3
		for j, c := range row.Cells {
			if sc := v.Result.Scores[d.Nodes[j].Code][v.Result.UnitIndex(row.Unit.Code)]; !sc.Missing {
				set(col, line, composite.Round(sc.Value, v.Index.Decimals))
				set(col+1, line, c.Rank)
			}
			stage := p.T("indices.stage."+string(c.Stage), nil)
			if c.Imputed {
				stage += " · " + p.T("indices.imputed", nil)
			}
			set(col+2, line, stage)
			col += 3
		}
		for _, y := range row.Years {
			if y.Has {
				set(col, line, y.Rank)
			}
			col++
		}
	}
	_ = f.SetColWidth(sh, "B", "B", 32)
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		s.internalError(w, r, err)
		return
	}
	sendXLSX(w, fmt.Sprintf("%s-%d.xlsx", v.Edition.IndexCode, v.Edition.Year), buf.Bytes())
}

// refreshEdition re-reads an indicator edition's inputs
// (POST /indices/editions/{id}/refresh).
func (s *Server) refreshEdition(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if err := s.Indices.RefreshEdition(r.Context(), id); err != nil {
		s.fail(w, r, err)
		return
	}
	s.flash(r, "indices.flash_refreshed")
	http.Redirect(w, r, editionURL(id), http.StatusSeeOther)
}

// deriveEdition creates the successors' edition by the lineage rule
// (POST /indices/editions/{id}/derive).
func (s *Server) deriveEdition(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	id, err := pathID(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	src, err := s.Indices.FindEdition(ctx, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	e := &dxtrack.IndexEdition{NameVI: src.NameVI + " (" + locale.For("vi").T("indices.successors", nil) + ")",
		NameEN: src.NameEN + " (" + locale.For("en").T("indices.successors", nil) + ")", Cohort: r.FormValue("cohort")}
	if e.Cohort == "" {
		e.Cohort = locale.For(langFrom(ctx)).T("indices.successors", nil)
	}
	if err := s.Indices.DeriveEdition(ctx, id, e); err != nil {
		s.fail(w, r, err)
		return
	}
	s.flash(r, "indices.flash_derived")
	http.Redirect(w, r, editionURL(e.ID), http.StatusSeeOther)
}

// unitURL is the unit page of an edition.
func unitURL(edition int64, code string) string {
	return editionURL(edition) + "/units/" + code
}
