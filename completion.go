package dxtrack

// Completion is a completion rate: completed items out of all items. It is
// the one place where rates are computed; the UI shows it with its formula
// ("11/27 = 40,7%").
type Completion struct {
	Done  int `json:"done"`
	Total int `json:"total"`
}

// Tenths returns the rate in tenths of a percent, rounded half away from
// zero, computed in integers so that 1/8 gives exactly 125. Zero items give 0.
func (c Completion) Tenths() int {
	if c.Total <= 0 {
		return 0
	}
	return (2000*c.Done + c.Total) / (2 * c.Total)
}

// Percent returns the rate in percent, rounded half away from zero to one
// decimal: 11/27 gives 40.7.
func (c Completion) Percent() float64 {
	return float64(c.Tenths()) / 10
}

// Add counts one more item, done or not.
func (c *Completion) Add(done bool) {
	c.Total++
	if done {
		c.Done++
	}
}

// Tally counts completed statuses among all.
func Tally(statuses []Status) Completion {
	var c Completion
	for _, s := range statuses {
		c.Add(s == StatusCompleted)
	}
	return c
}

// StatusCounts counts items per status.
type StatusCounts map[Status]int

// Completion returns the completion the counts imply.
func (sc StatusCounts) Completion() Completion {
	c := Completion{Done: sc[StatusCompleted]}
	for _, n := range sc {
		c.Total += n
	}
	return c
}
