package web

import (
	"context"
	"net/http"
	"strings"

	"github.com/danielgtaylor/huma/v2"

	"github.com/dxtrack/dxtrack"
)

// apiCalendarDay is an exception to the Monday–Friday working week.
type apiCalendarDay struct {
	Date   string          `json:"date" format:"date"`
	Kind   dxtrack.DayKind `json:"kind" enum:"holiday,workday" doc:"holiday: a day off; workday: a weekend day worked in exchange"`
	NameVI string          `json:"name_vi"`
	NameEN string          `json:"name_en,omitempty"`
}

// apiCalendarInput is the body that sets the exception of a day.
type apiCalendarInput struct {
	Kind   string `json:"kind" enum:"holiday,workday"`
	NameVI string `json:"name_vi"`
	NameEN string `json:"name_en"`
}

// apiDateParam is a date in a path.
type apiDateParam struct {
	Date string `path:"date" doc:"YYYY-MM-DD"`
}

func (p apiDateParam) day() (dxtrack.CalendarDay, error) {
	d, err := dxtrack.ParseDate(strings.TrimSpace(p.Date))
	if err != nil {
		return dxtrack.CalendarDay{}, dxtrack.Invalid("date", "error.bad_date", map[string]any{"Value": p.Date})
	}
	return dxtrack.CalendarDay{Date: d}, nil
}

func (s *Server) apiCalendar(api huma.API) {
	apiRegister(s, api, huma.Operation{
		OperationID: "get-calendar", Method: http.MethodGet, Path: "/calendar",
		Summary: "A year's holidays and make-up working days, which report deadlines count over",
	}, func(ctx context.Context, in *struct {
		Year int `query:"year" minimum:"1945" maximum:"2200" doc:"The year; the current one if left out"`
	}) (*apiBody[apiList[apiCalendarDay]], error) {
		cal, err := s.Calendar.Calendar(ctx)
		if err != nil {
			return nil, err
		}
		year := in.Year
		if year == 0 {
			year = s.Now().Year()
		}
		out := apiList[apiCalendarDay]{Items: []apiCalendarDay{}}
		for _, d := range cal.Holidays(year) {
			out.Items = append(out.Items, apiCalendarDay{Date: apiDay(d.Date), Kind: d.Kind, NameVI: d.NameVI, NameEN: d.NameEN})
		}
		out.Total = len(out.Items)
		return apiOK(out)
	})

	apiRegister(s, api, huma.Operation{
		OperationID: "set-calendar-day", Method: http.MethodPut, Path: "/calendar/{date}",
		Summary: "Set the exception of a day (admins)",
	}, func(ctx context.Context, in *struct {
		Date string `path:"date" doc:"YYYY-MM-DD"`
		Body apiCalendarInput
	}) (*apiBody[apiCalendarDay], error) {
		d, err := apiDateParam{in.Date}.day()
		if err != nil {
			return nil, err
		}
		d.Kind, d.NameVI, d.NameEN = dxtrack.DayKind(in.Body.Kind), strings.TrimSpace(in.Body.NameVI), strings.TrimSpace(in.Body.NameEN)
		if err := s.Calendar.SetCalendarDay(ctx, d); err != nil {
			return nil, err
		}
		return apiOK(apiCalendarDay{Date: apiDay(d.Date), Kind: d.Kind, NameVI: d.NameVI, NameEN: d.NameEN})
	})

	apiRegister(s, api, huma.Operation{
		OperationID: "delete-calendar-day", Method: http.MethodDelete, Path: "/calendar/{date}",
		Summary: "Remove the exception of a day (admins)", DefaultStatus: http.StatusNoContent,
	}, func(ctx context.Context, in *apiDateParam) (*struct{}, error) {
		d, err := in.day()
		if err != nil {
			return nil, err
		}
		return nil, s.Calendar.DeleteCalendarDay(ctx, d.Date)
	})
}
