package sheet

import (
	"strconv"

	"github.com/xuri/excelize/v2"
)

// styles creates the workbook's cell styles once each.
type styles struct {
	f     *excelize.File
	cache map[string]int
}

func newStyles(f *excelize.File) *styles {
	return &styles{f: f, cache: map[string]int{}}
}

var (
	thinBorder = []excelize.Border{
		{Type: "left", Color: "A6A6A6", Style: 1},
		{Type: "right", Color: "A6A6A6", Style: 1},
		{Type: "top", Color: "A6A6A6", Style: 1},
		{Type: "bottom", Color: "A6A6A6", Style: 1},
	}
	// Input cells are pale yellow, so that a user sees where to type.
	inputFill  = excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"FFF5CC"}}
	headerFill = excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"D9E2F3"}}
	greyFill   = excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"F2F2F2"}}
)

func (s *styles) get(key string, st *excelize.Style) (int, error) {
	if id, ok := s.cache[key]; ok {
		return id, nil
	}
	id, err := s.f.NewStyle(st)
	if err != nil {
		return 0, err
	}
	s.cache[key] = id
	return id, nil
}

func (s *styles) title() (int, error) {
	return s.get("title", &excelize.Style{Font: &excelize.Font{Bold: true, Size: 13}})
}

func (s *styles) label() (int, error) {
	return s.get("label", &excelize.Style{Font: &excelize.Font{Bold: true}})
}

func (s *styles) italic() (int, error) {
	return s.get("italic", &excelize.Style{Font: &excelize.Font{Italic: true, Color: "595959"}})
}

func (s *styles) header() (int, error) {
	return s.get("header", &excelize.Style{
		Font: &excelize.Font{Bold: true}, Fill: headerFill, Border: thinBorder,
		Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center", WrapText: true},
	})
}

func (s *styles) group() (int, error) {
	return s.get("group", &excelize.Style{Font: &excelize.Font{Bold: true, Italic: true}, Border: thinBorder})
}

// text is a locked text cell of the table.
func (s *styles) text() (int, error) {
	return s.get("text", &excelize.Style{Border: thinBorder, Alignment: &excelize.Alignment{Vertical: "top", WrapText: true}})
}

// bold is a locked text cell of the table in bold (total rows).
func (s *styles) bold() (int, error) {
	return s.get("bold", &excelize.Style{Font: &excelize.Font{Bold: true}, Border: thinBorder, Alignment: &excelize.Alignment{Vertical: "top", WrapText: true}})
}

// number is a locked number cell with d decimals; grey marks reference
// figures (previous period, target value).
func (s *styles) number(d int, grey, bold bool) (int, error) {
	fmt := numFmt(d)
	st := &excelize.Style{Border: thinBorder, CustomNumFmt: &fmt, Alignment: &excelize.Alignment{Vertical: "top"}}
	if grey {
		st.Fill = greyFill
	}
	if bold {
		st.Font = &excelize.Font{Bold: true}
	}
	return s.get("number"+strconv.Itoa(d)+strconv.FormatBool(grey)+strconv.FormatBool(bold), st)
}

// inputNumber is an unlocked number cell with d decimals.
func (s *styles) inputNumber(d int) (int, error) {
	fmt := numFmt(d)
	return s.get("inputNumber"+strconv.Itoa(d), &excelize.Style{
		Border: thinBorder, Fill: inputFill, CustomNumFmt: &fmt,
		Protection: &excelize.Protection{Locked: false}, Alignment: &excelize.Alignment{Vertical: "top"},
	})
}

// inputText is an unlocked text cell; the "@" format keeps what the user
// types as text (an evidence number like "15" stays "15").
func (s *styles) inputText() (int, error) {
	return s.get("inputText", &excelize.Style{
		Border: thinBorder, Fill: inputFill, NumFmt: 49,
		Protection: &excelize.Protection{Locked: false}, Alignment: &excelize.Alignment{Vertical: "top", WrapText: true},
	})
}

// inputChoice is an unlocked cell holding a dropdown choice.
func (s *styles) inputChoice() (int, error) {
	return s.get("inputChoice", &excelize.Style{
		Border: thinBorder, Fill: inputFill,
		Protection: &excelize.Protection{Locked: false}, Alignment: &excelize.Alignment{Vertical: "top"},
	})
}
