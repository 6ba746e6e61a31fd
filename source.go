package dxtrack

import (
	"context"
	"time"
)

// DataSource is another system whose records become indicator values: the
// province's public-service portal (dossiers), the payment platform, the
// e-office system. It pushes batches to the ingestion API with its own
// token, or a connector pulls from it on a schedule (Pull).
type DataSource struct {
	ID          int64  `json:"id"`
	Code        string `json:"code"` // in the push URL: /api/v1/ingest/{code}
	Name        string `json:"name"`
	OwnerUnitID int64  `json:"owner_unit_id"`
	// Policy says what happens to a batch with bad records.
	Policy   BatchPolicy `json:"policy"`
	Mapping  Mapping     `json:"mapping"`
	Pull     *Pull       `json:"pull,omitempty"` // nil: the source pushes
	Disabled bool        `json:"disabled,omitempty"`
	// TokenHint is the token's first characters, to tell tokens apart;
	// the token itself is stored hashed and shown once.
	TokenHint string    `json:"token_hint,omitempty"`
	CreatedAt time.Time `json:"created_at"`
}

// BatchPolicy is what a batch with a record that does not fit the mapping
// does.
type BatchPolicy string

// Batch policies.
const (
	// AllOrNothing refuses the whole batch, naming each bad record (the
	// default).
	AllOrNothing BatchPolicy = "all_or_nothing"
	// AcceptValid takes the good records and names the bad ones.
	AcceptValid BatchPolicy = "accept_valid"
)

// Mapping turns records into indicator values per unit and period.
type Mapping struct {
	// UnitField holds the unit code; old codes (a district, a former
	// province) resolve through unit lineage to today's unit.
	UnitField string `json:"unit_field"`
	// TimeField holds the record's time (RFC 3339 or a date); the value's
	// period is the one of Freq that holds it.
	TimeField string    `json:"time_field"`
	Freq      Frequency `json:"freq"` // "" means month
	Rules     []MapRule `json:"rules"`
}

// MapRule computes one indicator from the records of a unit and period.
type MapRule struct {
	Indicator string `json:"indicator"` // indicator code
	Agg       MapAgg `json:"agg"`
	Expr      string `json:"expr,omitempty"`  // the number summed or averaged, over the record's fields
	Where     string `json:"where,omitempty"` // the condition: share counts the records where it holds; count and sum take only them
}

// MapAgg is how a rule aggregates records.
type MapAgg string

// Mapping aggregations.
const (
	MapCount MapAgg = "count" // records (where Where holds)
	MapSum   MapAgg = "sum"   // Σ Expr
	MapShare MapAgg = "share" // percent of records where Where holds
	MapAvg   MapAgg = "avg"   // mean of Expr
)

// Pull is a scheduled connector: dxtrack fetches the source's records
// over HTTP(S).
type Pull struct {
	URL    string        `json:"url"`
	Format string        `json:"format"` // "json" or "csv"
	Every  time.Duration `json:"every"`
	// RecordsPath is the dotted path to the records array in a JSON
	// reply ("data.items"); empty means the reply is the array.
	RecordsPath string `json:"records_path,omitempty"`
	// Paging: "" (one request), "page" (PageParam=1,2,…), "offset"
	// (PageParam=0,Size,…) or "next" (follow NextPath in the reply).
	Paging    string `json:"paging,omitempty"`
	PageParam string `json:"page_param,omitempty"`
	SizeParam string `json:"size_param,omitempty"`
	PageSize  int    `json:"page_size,omitempty"`
	NextPath  string `json:"next_path,omitempty"`
	// OAuth2 client credentials, as provincial integration gateways
	// (LGSP) expose them; empty TokenURL means no authentication.
	TokenURL     string   `json:"token_url,omitempty"`
	ClientID     string   `json:"client_id,omitempty"`
	ClientSecret string   `json:"-"`
	Scopes       []string `json:"scopes,omitempty"`
}

// Record is one record of a source, as decoded from JSON or CSV.
type Record map[string]any

// RecordError names a record that does not fit the mapping.
type RecordError struct {
	Index  int    `json:"index"` // the record's place in the batch, from 0
	Field  string `json:"field,omitempty"`
	Reason string `json:"reason"`
	// MsgID and Args are Reason's catalogue message, so that a page can
	// render it in its reader's language.
	MsgID string         `json:"msg_id,omitempty"`
	Args  map[string]any `json:"args,omitempty"`
}

// BatchResult is the answer to a batch.
type BatchResult struct {
	BatchID   int64         `json:"batch_id"`
	Key       string        `json:"idempotency_key"`
	Received  int           `json:"received"`
	Accepted  int           `json:"accepted"`
	Refused   int           `json:"refused"`
	Errors    []RecordError `json:"errors,omitempty"`
	Duplicate bool          `json:"duplicate,omitempty"` // the key was seen: nothing was counted again
	At        time.Time     `json:"at"`
}

// DataSourceService keeps sources; managing them is for admins.
type DataSourceService interface {
	// CreateSource stores a source and returns its token, shown once.
	CreateSource(ctx context.Context, s *DataSource) (token string, err error)
	UpdateSource(ctx context.Context, s *DataSource) error
	FindSource(ctx context.Context, code string) (*DataSource, error)
	FindSources(ctx context.Context) ([]*DataSource, error)
	// RotateToken revokes the token and returns a new one.
	RotateToken(ctx context.Context, id int64) (string, error)
	// RevokeToken leaves the source without a token: pushes are refused.
	RevokeToken(ctx context.Context, id int64) error
	// SourceByToken authenticates a push: the source whose code and
	// token these are, or EUNAUTHORIZED.
	SourceByToken(ctx context.Context, code, token string) (*DataSource, error)
	// Batches lists a source's latest batches (pushed or pulled), newest
	// first, with their per-record errors.
	Batches(ctx context.Context, sourceID int64, limit int) ([]*BatchResult, error)
	// Volume is the records a source sent per day since a day: accepted
	// and refused, oldest first.
	Volume(ctx context.Context, sourceID int64, since time.Time) ([]VolumePoint, error)
}

// VolumePoint is a day of a source's traffic.
type VolumePoint struct {
	Day      string `json:"day"` // YYYY-MM-DD
	Accepted int    `json:"accepted"`
	Refused  int    `json:"refused"`
	Batches  int    `json:"batches"`
}

// PullRun is one run of a source's connector: when it ran, how it ended
// and what it delivered.
type PullRun struct {
	ID       int64     `json:"id"`
	SourceID int64     `json:"source_id"`
	Holder   string    `json:"holder"` // the dxtrack instance that ran it
	Started  time.Time `json:"started"`
	Finished time.Time `json:"finished,omitzero"` // zero while running
	Status   string    `json:"status"`            // PullRunning, PullOK or PullFailed
	Pages    int       `json:"pages"`
	Accepted int       `json:"accepted"`
	Refused  int       `json:"refused"`
	Skipped  int       `json:"skipped"` // records delivered by an earlier run, not counted again
	Error    string    `json:"error,omitempty"`
}

// Pull run statuses.
const (
	PullRunning = "running"
	PullOK      = "ok"
	PullFailed  = "failed"
)
