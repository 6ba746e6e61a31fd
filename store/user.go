package store

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/dxtrack/dxtrack"
)

type userService struct{ db *DB }

// NewUserService returns the account service over db.
func NewUserService(db *DB) dxtrack.UserService { return &userService{db} }

const userSelect = `SELECT usr.id, usr.username, usr.name, usr.email, usr.role, usr.unit_id, usr.lang,
	usr.password_hash, usr.disabled, usr.created_at FROM users usr`

func (db *DB) queryUsers(ctx context.Context, q queryer, query string, args ...any) ([]*dxtrack.User, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []*dxtrack.User{}
	for rows.Next() {
		var u dxtrack.User
		var role, created string
		if err := rows.Scan(&u.ID, &u.Username, &u.Name, &u.Email, &role, &u.UnitID, &u.Lang,
			&u.PasswordHash, &u.Disabled, &created); err != nil {
			return nil, err
		}
		u.Role, u.CreatedAt = dxtrack.Role(role), parseInstant(created)
		out = append(out, &u)
	}
	return out, rows.Err()
}

// userBy returns one user by a condition with its argument at $1, or
// ENOTFOUND.
func (db *DB) userBy(ctx context.Context, q queryer, cond string, arg any) (*dxtrack.User, error) {
	users, err := db.queryUsers(ctx, q, userSelect+" WHERE "+cond, arg)
	if err != nil {
		return nil, err
	}
	if len(users) == 0 {
		return nil, errNotFound()
	}
	return users[0], nil
}

func userSearch(u *dxtrack.User) string {
	return dxtrack.Fold(strings.Join([]string{u.Username, u.Name, u.Email}, " "))
}

// FindUserByID returns the signed-in user's own account, or one an admin
// over its unit may see.
func (s *userService) FindUserByID(ctx context.Context, id int64) (*dxtrack.User, error) {
	cu, err := reader(ctx)
	if err != nil {
		return nil, err
	}
	u, err := s.db.userBy(ctx, s.db.r, "usr.id = $1", id)
	if err != nil {
		return nil, wrap("find user", err)
	}
	if cu.ID == u.ID && !cu.IsSystem() {
		return u, nil
	}
	path, _, err := unitPath(ctx, s.db.r, u.UnitID)
	if err != nil {
		return nil, fmt.Errorf("store: find user: %w", err)
	}
	if !cu.CanAdmin(path) {
		return nil, errForbidden()
	}
	return u, nil
}

// FindUsers lists the users an admin manages: those scoped at or below
// the admin's unit.
func (s *userService) FindUsers(ctx context.Context, f dxtrack.UserFilter) ([]*dxtrack.User, int, error) {
	cu := dxtrack.UserFromContext(ctx)
	if err := mayAdmin(cu); err != nil {
		return nil, 0, err
	}
	w := &where{}
	if !cu.IsSystem() {
		w.add("un.path LIKE ((SELECT p.path FROM units p WHERE p.id = " + w.arg(cu.UnitID) + ") || '%')")
	}
	if f.UnitID != 0 {
		w.add("un.path LIKE ((SELECT p.path FROM units p WHERE p.id = " + w.arg(f.UnitID) + ") || '%')")
	}
	if f.Role != "" {
		w.add("usr.role = " + w.arg(string(f.Role)))
	}
	w.words("usr.search", f.Query)
	from := " JOIN units un ON un.id = usr.unit_id"
	var total int
	if err := s.db.r.QueryRowContext(ctx, "SELECT count(*) FROM users usr"+from+w.String(), w.args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("store: find users: %w", err)
	}
	limit, offset := limits(f.Page)
	users, err := s.db.queryUsers(ctx, s.db.r, userSelect+from+w.String()+
		fmt.Sprintf(" ORDER BY usr.username LIMIT %d OFFSET %d", limit, offset), w.args...)
	if err != nil {
		return nil, 0, fmt.Errorf("store: find users: %w", err)
	}
	return users, total, nil
}

// checkUser validates a user's fields and references; it returns the path
// of the user's unit (nil if unknown).
func checkUser(ctx context.Context, tx *sql.Tx, u *dxtrack.User, password string, isNew bool) ([]int64, dxtrack.Problems, error) {
	var p dxtrack.Problems
	if err := u.Validate(password, isNew); err != nil {
		p = dxtrack.ErrorFields(err)
	}
	path, ok, err := unitPath(ctx, tx, u.UnitID)
	if err != nil {
		return nil, nil, err
	}
	if u.UnitID != 0 && !ok {
		p.Add("unit", "error.unknown_unit", map[string]any{"Code": fmtID(u.UnitID)})
	}
	if u.Username != "" {
		if dup, err := exists(ctx, tx, "SELECT 1 FROM users WHERE username = $1 AND id <> $2", u.Username, u.ID); err != nil {
			return nil, nil, err
		} else if dup {
			p.Add("username", "error.duplicate_username", map[string]any{"Username": u.Username})
		}
	}
	return path, p, nil
}

func (s *userService) CreateUser(ctx context.Context, u *dxtrack.User, password string) error {
	cu := dxtrack.UserFromContext(ctx)
	if cu != nil {
		if err := mayAdmin(cu); err != nil {
			return err
		}
	}
	u.ID = 0
	u.Username = strings.TrimSpace(u.Username)
	if u.Lang == "" {
		u.Lang = "vi"
	}
	err := s.db.write(ctx, func(tx *sql.Tx) error {
		if cu == nil {
			// The first-run page and the command line create the first
			// account without anyone signed in; after that, nobody can.
			var n int
			if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM users").Scan(&n); err != nil {
				return err
			}
			if n > 0 {
				return dxtrack.Errorf(dxtrack.EUNAUTHORIZED, "error.first_run_done", nil)
			}
		}
		path, p, err := checkUser(ctx, tx, u, password, true)
		if err != nil {
			return err
		}
		if cu != nil && path != nil && !cu.CanAdmin(path) {
			return errForbidden()
		}
		if err := p.Err(); err != nil {
			return err
		}
		hash, err := hashPassword(password)
		if err != nil {
			return err
		}
		created := instant(s.db.Now())
		if err := tx.QueryRowContext(ctx, `INSERT INTO users (username, name, email, role, unit_id, lang,
			password_hash, disabled, created_at, search) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id`,
			u.Username, u.Name, u.Email, string(u.Role), u.UnitID, u.Lang, hash, u.Disabled, created, userSearch(u)).Scan(&u.ID); err != nil {
			return err
		}
		u.PasswordHash, u.CreatedAt = hash, parseInstant(created)
		return s.db.writeAudit(ctx, tx, cu, "user", u.ID, changes{{"created", "", u.Username}}, "")
	})
	if isUniqueViolation(err) {
		return dxtrack.Invalid("username", "error.duplicate_username", map[string]any{"Username": u.Username})
	}
	return wrap("create user", err)
}

// UpdateUser lets an admin over the user's unit change everything, and a
// user without that right change only their own name, e-mail, language
// and password.
func (s *userService) UpdateUser(ctx context.Context, u *dxtrack.User, password string) error {
	cu := dxtrack.UserFromContext(ctx)
	if cu == nil {
		return errUnauthorized()
	}
	u.Username = strings.TrimSpace(u.Username)
	if u.Lang == "" {
		u.Lang = "vi"
	}
	err := s.db.write(ctx, func(tx *sql.Tx) error {
		old, err := s.db.userBy(ctx, tx, "usr.id = $1", u.ID)
		if err != nil {
			return err
		}
		oldPath, _, err := unitPath(ctx, tx, old.UnitID)
		if err != nil {
			return err
		}
		admin := cu.CanAdmin(oldPath)
		self := cu.ID == old.ID && !cu.IsSystem()
		if self && !admin {
			// A profile form need not send what its user cannot change.
			u.Username = cmp.Or(u.Username, old.Username)
			u.Role = cmp.Or(u.Role, old.Role)
			u.UnitID = cmp.Or(u.UnitID, old.UnitID)
		}
		switch {
		case !admin && !self:
			return errForbidden()
		case !admin && (u.Username != old.Username || u.Role != old.Role || u.UnitID != old.UnitID || u.Disabled != old.Disabled):
			return errForbidden()
		}
		path, p, err := checkUser(ctx, tx, u, password, false)
		if err != nil {
			return err
		}
		if path != nil && !cu.CanAdmin(path) && u.UnitID != old.UnitID {
			return errForbidden()
		}
		if err := p.Err(); err != nil {
			return err
		}
		var cs changes
		cs.diff("username", old.Username, u.Username)
		cs.diff("name", old.Name, u.Name)
		cs.diff("email", old.Email, u.Email)
		cs.diff("role", string(old.Role), string(u.Role))
		cs.diff("unit_id", fmtID(old.UnitID), fmtID(u.UnitID))
		cs.diff("lang", old.Lang, u.Lang)
		cs.diff("disabled", strconv.FormatBool(old.Disabled), strconv.FormatBool(u.Disabled))
		hash := old.PasswordHash
		if password != "" {
			if hash, err = hashPassword(password); err != nil {
				return err
			}
			cs = append(cs, change{"password", "", "changed"})
		}
		u.PasswordHash, u.CreatedAt = hash, old.CreatedAt
		if len(cs) == 0 {
			return nil
		}
		if _, err := tx.ExecContext(ctx, `UPDATE users SET username = $1, name = $2, email = $3, role = $4,
			unit_id = $5, lang = $6, password_hash = $7, disabled = $8, search = $9 WHERE id = $10`,
			u.Username, u.Name, u.Email, string(u.Role), u.UnitID, u.Lang, hash, u.Disabled, userSearch(u), u.ID); err != nil {
			return err
		}
		return s.db.writeAudit(ctx, tx, cu, "user", u.ID, cs, "")
	})
	if isUniqueViolation(err) {
		return dxtrack.Invalid("username", "error.duplicate_username", map[string]any{"Username": u.Username})
	}
	return wrap("update user", err)
}

func errLoginFailed() error {
	return dxtrack.Errorf(dxtrack.EUNAUTHORIZED, "error.login_failed", nil)
}

// Authenticate checks a username and password. An unknown name, a wrong
// password and a disabled account give the same answer in about the same
// time.
func (s *userService) Authenticate(ctx context.Context, username, password string) (*dxtrack.User, error) {
	u, err := s.db.userBy(ctx, s.db.r, "usr.username = $1", strings.TrimSpace(username))
	if dxtrack.ErrorCode(err) == dxtrack.ENOTFOUND {
		checkPassword(dummyHash(), password)
		return nil, errLoginFailed()
	} else if err != nil {
		return nil, fmt.Errorf("store: authenticate: %w", err)
	}
	ok, err := checkPassword(u.PasswordHash, password)
	if err != nil {
		return nil, fmt.Errorf("store: authenticate: %w", err)
	}
	if !ok || u.Disabled {
		return nil, errLoginFailed()
	}
	return u, nil
}

func (s *userService) SessionUser(ctx context.Context, id int64) (*dxtrack.User, error) {
	u, err := s.db.userBy(ctx, s.db.r, "usr.id = $1", id)
	if dxtrack.ErrorCode(err) == dxtrack.ENOTFOUND {
		return nil, errUnauthorized()
	} else if err != nil {
		return nil, fmt.Errorf("store: session user: %w", err)
	}
	if u.Disabled {
		return nil, errUnauthorized()
	}
	return u, nil
}

func (s *userService) CountUsers(ctx context.Context) (int, error) {
	var n int
	if err := s.db.r.QueryRowContext(ctx, "SELECT count(*) FROM users").Scan(&n); err != nil {
		return 0, fmt.Errorf("store: count users: %w", err)
	}
	return n, nil
}

// CreateToken issues a bearer token for the signed-in user. The system
// user has no account to hold one.
func (s *userService) CreateToken(ctx context.Context, name string) (string, error) {
	cu := dxtrack.UserFromContext(ctx)
	switch {
	case cu == nil:
		return "", errUnauthorized()
	case cu.IsSystem() || cu.ID == 0 || cu.Disabled:
		return "", errForbidden()
	}
	token, hash, err := newToken()
	if err != nil {
		return "", fmt.Errorf("store: create token: %w", err)
	}
	err = s.db.write(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, "INSERT INTO tokens (user_id, name, hash, created_at) VALUES ($1, $2, $3, $4)",
			cu.ID, strings.TrimSpace(name), hash, instant(s.db.Now())); err != nil {
			return err
		}
		return s.db.writeAudit(ctx, tx, cu, "user", cu.ID, changes{{"token", "", strings.TrimSpace(name)}}, "")
	})
	if err != nil {
		return "", wrap("create token", err)
	}
	return token, nil
}

// tokenUseInterval is how stale a token's last_used may grow before a
// request refreshes it, so that a busy API client causes one write a
// minute rather than one per request.
const tokenUseInterval = time.Minute

func (s *userService) UserByToken(ctx context.Context, token string) (*dxtrack.User, error) {
	if token == "" {
		return nil, errUnauthorized()
	}
	var id, userID int64
	var lastUsed sql.NullString
	err := s.db.r.QueryRowContext(ctx, "SELECT id, user_id, last_used FROM tokens WHERE hash = $1",
		tokenHash(token)).Scan(&id, &userID, &lastUsed)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errUnauthorized()
	} else if err != nil {
		return nil, fmt.Errorf("store: user by token: %w", err)
	}
	u, err := s.db.userBy(ctx, s.db.r, "usr.id = $1", userID)
	if dxtrack.ErrorCode(err) == dxtrack.ENOTFOUND {
		return nil, errUnauthorized()
	} else if err != nil {
		return nil, fmt.Errorf("store: user by token: %w", err)
	}
	if u.Disabled {
		return nil, errUnauthorized()
	}
	now := s.db.Now()
	stale := instant(now.Add(-tokenUseInterval))
	if !lastUsed.Valid || lastUsed.String < stale {
		// The condition is repeated in the statement so that requests
		// racing past the read above still write once.
		if _, err := s.db.w.ExecContext(ctx, "UPDATE tokens SET last_used = $1 WHERE id = $2 AND (last_used IS NULL OR last_used < $3)",
			instant(now), id, stale); err != nil {
			return nil, fmt.Errorf("store: user by token: %w", err)
		}
	}
	return u, nil
}

// FindTokens lists the signed-in user's own tokens, newest first. The
// system user holds none.
func (s *userService) FindTokens(ctx context.Context) ([]*dxtrack.Token, error) {
	cu, err := reader(ctx)
	if err != nil {
		return nil, err
	}
	rows, err := s.db.r.QueryContext(ctx, `SELECT id, user_id, name, created_at, last_used FROM tokens
		WHERE user_id = $1 ORDER BY created_at DESC, id DESC`, cu.ID)
	if err != nil {
		return nil, fmt.Errorf("store: find tokens: %w", err)
	}
	defer rows.Close()
	out := []*dxtrack.Token{}
	for rows.Next() {
		var k dxtrack.Token
		var created string
		var lastUsed sql.NullString
		if err := rows.Scan(&k.ID, &k.UserID, &k.Name, &created, &lastUsed); err != nil {
			return nil, fmt.Errorf("store: find tokens: %w", err)
		}
		k.CreatedAt = parseInstant(created)
		if lastUsed.Valid {
			k.LastUsed = parseInstant(lastUsed.String)
		}
		out = append(out, &k)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: find tokens: %w", err)
	}
	return out, nil
}

// RevokeToken deletes a token of the signed-in user, or of a user an
// admin manages. To anyone else the token does not exist: its ID tells
// them nothing.
func (s *userService) RevokeToken(ctx context.Context, id int64) error {
	cu, err := reader(ctx)
	if err != nil {
		return err
	}
	err = s.db.write(ctx, func(tx *sql.Tx) error {
		var owner int64
		var name string
		err := tx.QueryRowContext(ctx, "SELECT user_id, name FROM tokens WHERE id = $1"+s.db.forUpdate(), id).Scan(&owner, &name)
		if errors.Is(err, sql.ErrNoRows) {
			return errNotFound()
		} else if err != nil {
			return err
		}
		if owner != cu.ID || cu.IsSystem() {
			u, err := s.db.userBy(ctx, tx, "usr.id = $1", owner)
			if err != nil {
				return err
			}
			path, _, err := unitPath(ctx, tx, u.UnitID)
			if err != nil {
				return err
			}
			if !cu.CanAdmin(path) {
				return errNotFound()
			}
		}
		if _, err := tx.ExecContext(ctx, "DELETE FROM tokens WHERE id = $1", id); err != nil {
			return err
		}
		return s.db.writeAudit(ctx, tx, cu, "user", owner, changes{{"token", name, ""}}, "")
	})
	return wrap("revoke token", err)
}
