package store

import (
	"context"
	"crypto/subtle"
	"database/sql"
	"encoding/json"
	"errors"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/dxtrack/dxtrack"
	"github.com/dxtrack/dxtrack/ingest/mapping"
)

type sourceService struct{ db *DB }

// NewDataSourceService returns the data-source service over db. Managing
// and listing sources is for admins: creating, changing and issuing
// tokens for a source needs an admin over its owner unit.
func NewDataSourceService(db *DB) dxtrack.DataSourceService { return &sourceService{db} }

// tokenHintLen is how many characters of a token its hint shows.
const tokenHintLen = 6

const sourceSelect = `SELECT id, code, name, owner_unit_id, policy, mapping, pull, pull_secret, disabled,
	token_hint, created_at FROM data_sources`

func scanSource(s interface{ Scan(...any) error }) (*dxtrack.DataSource, error) {
	var src dxtrack.DataSource
	var policy, mappingJSON, pull, secret, at string
	if err := s.Scan(&src.ID, &src.Code, &src.Name, &src.OwnerUnitID, &policy, &mappingJSON, &pull, &secret,
		&src.Disabled, &src.TokenHint, &at); err != nil {
		return nil, err
	}
	src.Policy, src.CreatedAt = dxtrack.BatchPolicy(policy), parseInstant(at)
	if err := json.Unmarshal([]byte(mappingJSON), &src.Mapping); err != nil {
		return nil, err
	}
	if pull != "" {
		src.Pull = &dxtrack.Pull{}
		if err := json.Unmarshal([]byte(pull), src.Pull); err != nil {
			return nil, err
		}
		src.Pull.ClientSecret = secret
	}
	return &src, nil
}

func (db *DB) sourceBy(ctx context.Context, q queryer, cond string, arg any) (*dxtrack.DataSource, error) {
	src, err := scanSource(q.QueryRowContext(ctx, sourceSelect+" WHERE "+cond, arg))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errNotFound()
	}
	return src, err
}

// SourceByID returns a source without checking the user: for the
// ingestion pipeline and the connectors, which act for the system.
func (db *DB) SourceByID(ctx context.Context, id int64) (*dxtrack.DataSource, error) {
	src, err := db.sourceBy(ctx, db.r, "id = $1", id)
	return src, wrap("source by id", err)
}

func (s *sourceService) FindSource(ctx context.Context, code string) (*dxtrack.DataSource, error) {
	if _, err := reader(ctx); err != nil {
		return nil, err
	}
	src, err := s.db.sourceBy(ctx, s.db.r, "code = $1", strings.TrimSpace(code))
	return src, wrap("find source", err)
}

func (s *sourceService) FindSources(ctx context.Context) ([]*dxtrack.DataSource, error) {
	if _, err := reader(ctx); err != nil {
		return nil, err
	}
	out, err := s.db.allSources(ctx, s.db.r)
	return out, wrap("find sources", err)
}

func (db *DB) allSources(ctx context.Context, q queryer) ([]*dxtrack.DataSource, error) {
	rows, err := q.QueryContext(ctx, sourceSelect+" ORDER BY name, code")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []*dxtrack.DataSource{}
	for rows.Next() {
		src, err := scanSource(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, src)
	}
	return out, rows.Err()
}

// checkSource validates a source in tx: its fields, its owner unit (which
// the user must administer), its mapping (the expressions compile, the
// indicators exist, are not formulas and are fed by no other source) and
// its connector.
func (db *DB) checkSource(ctx context.Context, tx *sql.Tx, user *dxtrack.User, src *dxtrack.DataSource) error {
	var p dxtrack.Problems
	src.Code, src.Name = strings.TrimSpace(src.Code), strings.TrimSpace(src.Name)
	if src.Code == "" {
		p.Add("code", "error.required", nil)
	} else if !dxtrack.ValidCode(src.Code) || strings.Contains(src.Code, "/") {
		p.Add("code", "error.code_format", nil)
	}
	if src.Name == "" {
		p.Add("name", "error.required", nil)
	}
	switch src.Policy {
	case "":
		src.Policy = dxtrack.AllOrNothing
	case dxtrack.AllOrNothing, dxtrack.AcceptValid:
	default:
		p.Add("policy", "error.unknown_value", map[string]any{"Value": string(src.Policy)})
	}
	forbidden := false
	if src.OwnerUnitID == 0 {
		p.Add("owner_unit_id", "error.required", nil)
	} else if paths, err := unitPaths(ctx, tx, []int64{src.OwnerUnitID}); err != nil {
		return err
	} else if path := paths[src.OwnerUnitID]; path == nil {
		p.Add("owner_unit_id", "error.unknown_unit", nil)
	} else if !user.CanAdmin(path) {
		forbidden = true
	}
	if _, err := mapping.Compile(src.Mapping); err != nil {
		p = append(p, dxtrack.ErrorFields(err)...)
	}
	if err := db.checkRuleIndicators(ctx, tx, src, &p); err != nil {
		return err
	}
	checkPull(src.Pull, &p)
	if forbidden {
		return errForbidden()
	}
	return p.Err()
}

// checkRuleIndicators checks the indicators of a mapping's rules: each
// exists, is not a formula, and no other source feeds it (its values are
// derived from one source's cells).
func (db *DB) checkRuleIndicators(ctx context.Context, tx *sql.Tx, src *dxtrack.DataSource, p *dxtrack.Problems) error {
	var codes []string
	for _, r := range src.Mapping.Rules {
		codes = append(codes, strings.TrimSpace(r.Indicator))
	}
	found, err := indicatorSources(ctx, tx, codes)
	if err != nil {
		return err
	}
	others, err := db.allSources(ctx, tx)
	if err != nil {
		return err
	}
	fedBy := map[string]string{}
	for _, o := range others {
		if o.ID == src.ID {
			continue
		}
		for _, r := range o.Mapping.Rules {
			fedBy[r.Indicator] = o.Name
		}
	}
	for i, code := range codes {
		if code == "" {
			continue // Compile named it
		}
		field := "mapping.rules[" + strconv.Itoa(i) + "].indicator"
		in, ok := found[code]
		switch {
		case !ok:
			p.Add(field, "error.ingest_indicator_unknown", map[string]any{"Code": code})
		case in.Source == dxtrack.SourceFormula:
			p.Add(field, "error.ingest_indicator_formula", map[string]any{"Code": code})
		case fedBy[code] != "":
			p.Add(field, "error.ingest_indicator_taken", map[string]any{"Code": code, "Name": fedBy[code]})
		}
	}
	return nil
}

// indicatorSources returns the ID and source of the indicators with the
// codes, by code.
func indicatorSources(ctx context.Context, q queryer, codes []string) (map[string]dxtrack.Indicator, error) {
	out := map[string]dxtrack.Indicator{}
	if len(codes) == 0 {
		return out, nil
	}
	w := &where{}
	vals := make([]any, len(codes))
	for i, c := range codes {
		vals[i] = c
	}
	rows, err := q.QueryContext(ctx, "SELECT id, code, source FROM indicators WHERE code IN "+w.in(vals), w.args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var in dxtrack.Indicator
		var source string
		if err := rows.Scan(&in.ID, &in.Code, &source); err != nil {
			return nil, err
		}
		in.Source = dxtrack.Source(source)
		out[in.Code] = in
	}
	return out, rows.Err()
}

// IndicatorIDs returns the IDs of the indicators with the codes, by code;
// unknown codes are left out.
func (db *DB) IndicatorIDs(ctx context.Context, codes []string) (map[string]int64, error) {
	found, err := indicatorSources(ctx, db.r, codes)
	if err != nil {
		return nil, wrap("indicator ids", err)
	}
	out := make(map[string]int64, len(found))
	for code, in := range found {
		out[code] = in.ID
	}
	return out, nil
}

// pullFormats and pullPagings are what a connector may use.
var (
	pullFormats = []string{"json", "csv"}
	pullPagings = []string{"", "page", "offset", "next"}
)

// minPullEvery keeps a connector from hammering its source.
const minPullEvery = time.Minute

func checkPull(pl *dxtrack.Pull, p *dxtrack.Problems) {
	if pl == nil {
		return
	}
	if u, err := url.Parse(strings.TrimSpace(pl.URL)); pl.URL == "" {
		p.Add("pull.url", "error.required", nil)
	} else if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		p.Add("pull.url", "error.ingest_url", map[string]any{"Value": pl.URL})
	}
	if !contains(pullFormats, pl.Format) {
		p.Add("pull.format", "error.unknown_value", map[string]any{"Value": pl.Format})
	}
	if !contains(pullPagings, pl.Paging) {
		p.Add("pull.paging", "error.unknown_value", map[string]any{"Value": pl.Paging})
	}
	if pl.Paging == "next" && strings.TrimSpace(pl.NextPath) == "" {
		p.Add("pull.next_path", "error.required", nil)
	}
	if (pl.Paging == "page" || pl.Paging == "offset") && strings.TrimSpace(pl.PageParam) == "" {
		p.Add("pull.page_param", "error.required", nil)
	}
	if pl.Every < minPullEvery {
		p.Add("pull.every", "error.ingest_every", map[string]any{"Min": int(minPullEvery / time.Minute)})
	}
	if pl.TokenURL != "" {
		if u, err := url.Parse(pl.TokenURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			p.Add("pull.token_url", "error.ingest_url", map[string]any{"Value": pl.TokenURL})
		}
		if strings.TrimSpace(pl.ClientID) == "" {
			p.Add("pull.client_id", "error.required", nil)
		}
	}
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// sourceColumns are the stored forms of a source's configuration.
func sourceColumns(src *dxtrack.DataSource) (mappingJSON, pull, secret string, err error) {
	b, err := json.Marshal(src.Mapping)
	if err != nil {
		return "", "", "", err
	}
	if src.Pull != nil {
		pb, err := json.Marshal(src.Pull)
		if err != nil {
			return "", "", "", err
		}
		pull, secret = string(pb), src.Pull.ClientSecret
	}
	return string(b), pull, secret, nil
}

func (s *sourceService) CreateSource(ctx context.Context, src *dxtrack.DataSource) (string, error) {
	user := dxtrack.UserFromContext(ctx)
	if err := mayAdmin(user); err != nil {
		return "", err
	}
	token, hash, err := newToken()
	if err != nil {
		return "", wrap("create source", err)
	}
	err = s.db.write(ctx, func(tx *sql.Tx) error {
		if err := s.db.checkSource(ctx, tx, user, src); err != nil {
			return err
		}
		m, pull, secret, err := sourceColumns(src)
		if err != nil {
			return err
		}
		src.TokenHint, src.CreatedAt = token[:tokenHintLen], parseInstant(instant(s.db.Now()))
		err = tx.QueryRowContext(ctx, `INSERT INTO data_sources (code, name, owner_unit_id, policy, mapping, pull,
			pull_secret, disabled, token_hash, token_hint, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
			RETURNING id`, src.Code, src.Name, src.OwnerUnitID, string(src.Policy), m, pull, secret, src.Disabled,
			hash, src.TokenHint, instant(src.CreatedAt)).Scan(&src.ID)
		if isUniqueViolation(err) {
			return dxtrack.Invalid("code", "error.duplicate_code", map[string]any{"Code": src.Code})
		} else if err != nil {
			return err
		}
		return s.db.writeAudit(ctx, tx, user, "source", src.ID, changes{{"code", "", src.Code}, {"mapping", "", m}}, "")
	})
	if err != nil {
		return "", wrap("create source", err)
	}
	return token, nil
}

// UpdateSource changes a source's code, name, owner, policy, mapping,
// connector and whether it is disabled; its token stays. A connector
// without a client secret keeps the stored one (forms never show it).
func (s *sourceService) UpdateSource(ctx context.Context, src *dxtrack.DataSource) error {
	user := dxtrack.UserFromContext(ctx)
	if err := mayAdmin(user); err != nil {
		return err
	}
	err := s.db.write(ctx, func(tx *sql.Tx) error {
		old, err := s.db.sourceBy(ctx, tx, "id = $1"+s.db.forUpdate(), src.ID)
		if err != nil {
			return err
		}
		if err := s.db.mayAdminSource(ctx, tx, user, old); err != nil {
			return err
		}
		if src.Pull != nil && src.Pull.ClientSecret == "" && old.Pull != nil {
			src.Pull.ClientSecret = old.Pull.ClientSecret
		}
		if err := s.db.checkSource(ctx, tx, user, src); err != nil {
			return err
		}
		m, pull, secret, err := sourceColumns(src)
		if err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `UPDATE data_sources SET code = $1, name = $2, owner_unit_id = $3, policy = $4,
			mapping = $5, pull = $6, pull_secret = $7, disabled = $8 WHERE id = $9`,
			src.Code, src.Name, src.OwnerUnitID, string(src.Policy), m, pull, secret, src.Disabled, src.ID)
		if isUniqueViolation(err) {
			return dxtrack.Invalid("code", "error.duplicate_code", map[string]any{"Code": src.Code})
		} else if err != nil {
			return err
		}
		src.TokenHint, src.CreatedAt = old.TokenHint, old.CreatedAt
		oldM, oldPull, _, _ := sourceColumns(old)
		var cs changes
		cs.diff("code", old.Code, src.Code)
		cs.diff("name", old.Name, src.Name)
		cs.diff("owner_unit_id", fmtID(old.OwnerUnitID), fmtID(src.OwnerUnitID))
		cs.diff("policy", string(old.Policy), string(src.Policy))
		cs.diff("mapping", oldM, m)
		cs.diff("pull", oldPull, pull)
		cs.diff("disabled", strconv.FormatBool(old.Disabled), strconv.FormatBool(src.Disabled))
		return s.db.writeAudit(ctx, tx, user, "source", src.ID, cs, "")
	})
	return wrap("update source", err)
}

// mayAdminSource checks that the user administers the source's owner unit.
func (db *DB) mayAdminSource(ctx context.Context, q queryer, user *dxtrack.User, src *dxtrack.DataSource) error {
	paths, err := unitPaths(ctx, q, []int64{src.OwnerUnitID})
	if err != nil {
		return err
	}
	return allow(user, user.CanAdmin(paths[src.OwnerUnitID]))
}

func (s *sourceService) RotateToken(ctx context.Context, id int64) (string, error) {
	token, hash, err := newToken()
	if err != nil {
		return "", wrap("rotate token", err)
	}
	if err := s.setToken(ctx, id, hash, token[:tokenHintLen]); err != nil {
		return "", wrap("rotate token", err)
	}
	return token, nil
}

func (s *sourceService) RevokeToken(ctx context.Context, id int64) error {
	return wrap("revoke token", s.setToken(ctx, id, "", ""))
}

// setToken stores a token's hash and hint, or none ("").
func (s *sourceService) setToken(ctx context.Context, id int64, hash, hint string) error {
	user := dxtrack.UserFromContext(ctx)
	if err := mayAdmin(user); err != nil {
		return err
	}
	return s.db.write(ctx, func(tx *sql.Tx) error {
		old, err := s.db.sourceBy(ctx, tx, "id = $1"+s.db.forUpdate(), id)
		if err != nil {
			return err
		}
		if err := s.db.mayAdminSource(ctx, tx, user, old); err != nil {
			return err
		}
		var h any
		if hash != "" {
			h = hash
		}
		if _, err := tx.ExecContext(ctx, "UPDATE data_sources SET token_hash = $1, token_hint = $2 WHERE id = $3",
			h, hint, id); err != nil {
			return err
		}
		return s.db.writeAudit(ctx, tx, user, "source", id, changes{{"token", old.TokenHint, hint}}, "")
	})
}

// SourceByToken needs no signed-in user: the token is the credential. A
// disabled source is EFORBIDDEN.
func (s *sourceService) SourceByToken(ctx context.Context, code, token string) (*dxtrack.DataSource, error) {
	var id int64
	var hash sql.NullString
	err := s.db.r.QueryRowContext(ctx, "SELECT id, token_hash FROM data_sources WHERE code = $1",
		strings.TrimSpace(code)).Scan(&id, &hash)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errUnauthorized()
	} else if err != nil {
		return nil, wrap("source by token", err)
	}
	// Compare hashes in constant time: the stored hash is not secret but
	// the comparison should not tell how much of a guess matched.
	if token == "" || !hash.Valid || subtle.ConstantTimeCompare([]byte(tokenHash(token)), []byte(hash.String)) != 1 {
		return nil, errUnauthorized()
	}
	src, err := s.db.sourceBy(ctx, s.db.r, "id = $1", id)
	if err != nil {
		return nil, wrap("source by token", err)
	}
	if src.Disabled {
		return nil, dxtrack.Errorf(dxtrack.EFORBIDDEN, "error.ingest_source_disabled", map[string]any{"Name": src.Name})
	}
	return src, nil
}

// Batches is for any signed-in user, like the sources: which systems feed
// the figures, and how well, is programme data; managing them is for
// admins.
func (s *sourceService) Batches(ctx context.Context, sourceID int64, limit int) ([]*dxtrack.BatchResult, error) {
	if _, err := reader(ctx); err != nil {
		return nil, err
	}
	if limit <= 0 {
		limit = 50
	}
	rows, err := s.db.r.QueryContext(ctx, batchSelect+" WHERE source_id = $1 ORDER BY id DESC LIMIT $2", sourceID, limit)
	if err != nil {
		return nil, wrap("batches", err)
	}
	defer rows.Close()
	out := []*dxtrack.BatchResult{}
	for rows.Next() {
		b, err := scanBatch(rows)
		if err != nil {
			return nil, wrap("batches", err)
		}
		out = append(out, b)
	}
	return out, wrap("batches", rows.Err())
}

// Volume counts days in the province's time zone.
func (s *sourceService) Volume(ctx context.Context, sourceID int64, since time.Time) ([]dxtrack.VolumePoint, error) {
	if _, err := reader(ctx); err != nil {
		return nil, err
	}
	rows, err := s.db.r.QueryContext(ctx, `SELECT day, sum(accepted), sum(refused), count(*) FROM ingest_batches
		WHERE source_id = $1 AND day >= $2 GROUP BY day ORDER BY day`, sourceID, since.In(mapping.Local).Format(dxtrack.DateLayout))
	if err != nil {
		return nil, wrap("volume", err)
	}
	defer rows.Close()
	out := []dxtrack.VolumePoint{}
	for rows.Next() {
		var v dxtrack.VolumePoint
		if err := rows.Scan(&v.Day, &v.Accepted, &v.Refused, &v.Batches); err != nil {
			return nil, wrap("volume", err)
		}
		out = append(out, v)
	}
	return out, wrap("volume", rows.Err())
}
