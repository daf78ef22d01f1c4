package web

import (
	"fmt"
	"strconv"

	"github.com/inlsearch/inlsearch/search"
)

// The timeline of a results page: the hits per year as a bar chart drawn
// server-side in inline SVG, each bar a link narrowing the search to its
// year, with a title and a table of the same figures for screen readers
// and for reading without colour. It counts the publication year
// (published_year, narrowed with the published_year filter) or, switched
// with timeline=mentioned, the years mentioned (the year facet, narrowed
// with year_from and year_to).

const (
	paramTimeline     = "timeline"
	timelinePublished = "published"
	timelineMentioned = "mentioned"

	chartWidth, chartHeight = 600, 140
	chartTop, chartBottom   = 18, 22 // room for the counts above, the years below
	maxBars                 = 80     // the most recent years when there are more
)

// timelineView is the data of the chart.
type timelineView struct {
	Title         string
	Mode          string // timelinePublished or timelineMentioned
	SwitchURL     string
	SwitchLabel   string
	Unit          string // "pages" or "passages"
	Width, Height int
	Baseline      int
	Bars          []barView
	Omitted       int // earlier years left out of the chart
}

// barView is one year of the chart.
type barView struct {
	Year                  string
	Count                 int
	URL                   string
	Selected              bool
	X, Y, W, H            int
	TextX, CountY, LabelY int
	ShowLabel             bool
}

func timelineOf(st state, res *search.Result, mode string) *timelineView {
	vals := res.Facets[search.FacetPublishedYear]
	tv := &timelineView{Mode: mode, Width: chartWidth, Height: chartHeight, Unit: "passages"}
	if res.Group == search.GroupPage {
		tv.Unit = "pages"
	}
	if mode == timelineMentioned {
		vals = res.YearsMentioned
		tv.Title = "Years mentioned in the " + tv.Unit + " found"
		tv.SwitchLabel, tv.SwitchURL = "Show years of publication", st.withTimeline("").href("/search")
	} else {
		tv.Title = "Year of publication of the " + tv.Unit + " found"
		tv.SwitchLabel, tv.SwitchURL = "Show years mentioned", st.withTimeline(timelineMentioned).href("/search")
	}
	var years []search.FacetValue
	for _, v := range vals {
		if _, err := parseYear(v.Value); err == nil && v.Count > 0 {
			years = append(years, v)
		}
	}
	if len(years) == 0 {
		return tv
	}
	if len(years) > maxBars {
		tv.Omitted = len(years) - maxBars
		years = years[len(years)-maxBars:]
	}
	most := 1
	for _, v := range years {
		most = max(most, v.Count)
	}
	slot := chartWidth / len(years)
	w := max(slot*3/4, 2)
	every := max(1, (len(years)+11)/12) // at most about 12 year labels
	tv.Baseline = chartHeight - chartBottom
	for i, v := range years {
		y, _ := parseYear(v.Value)
		h := max(1, (tv.Baseline-chartTop)*v.Count/most)
		b := barView{Year: strconv.Itoa(y), Count: v.Count, X: i*slot + (slot-w)/2, W: w, H: h, Y: tv.Baseline - h,
			ShowLabel: i%every == 0 || i == len(years)-1}
		b.TextX = b.X + w/2
		b.CountY, b.LabelY = b.Y-4, tv.Baseline+14
		if mode == timelineMentioned {
			b.Selected = st.yearFrom == y && st.yearTo == y
			if b.Selected {
				b.URL = st.withYears(0, 0).href("/search")
			} else {
				b.URL = st.withYears(y, y).href("/search")
			}
		} else {
			b.Selected = len(st.filters[search.FacetPublishedYear]) == 1 && st.selected(search.FacetPublishedYear, v.Value)
			only := st.clone()
			only.page = 1
			delete(only.filters, search.FacetPublishedYear)
			if !b.Selected {
				only.filters[search.FacetPublishedYear] = []string{v.Value}
			}
			b.URL = only.href("/search")
		}
		tv.Bars = append(tv.Bars, b)
	}
	return tv
}

// withTimeline is the state showing the timeline mode m ("": published).
func (st state) withTimeline(m string) state {
	c := st.clone()
	c.timeline = m
	return c
}

// barLabel is what a bar's link says.
func (b barView) Label(unit string) string {
	if b.Selected {
		return fmt.Sprintf("%s: %d %s (selected; follow to remove the year)", b.Year, b.Count, unit)
	}
	return fmt.Sprintf("%s: %d %s; narrow to %s", b.Year, b.Count, unit, b.Year)
}
