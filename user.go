package dxtrack

import (
	"context"
	"net/mail"
	"slices"
	"time"
)

// Role is what a user may do within the unit subtree the user is scoped to.
type Role string

// Roles.
const (
	RoleAdmin    Role = "admin"    // sets up units, documents, users; edits everything in scope
	RoleLeader   Role = "leader"   // reads dashboards and lists
	RoleReviewer Role = "reviewer" // checks and approves; may override statuses in scope
	RoleReporter Role = "reporter" // updates its own unit's targets and tasks
)

// Roles lists the roles in display order.
var Roles = []Role{RoleAdmin, RoleLeader, RoleReviewer, RoleReporter}

// Valid reports whether r is a known role.
func (r Role) Valid() bool { return slices.Contains(Roles, r) }

// User is a local account scoped to a unit subtree.
type User struct {
	ID           int64     `json:"id"`
	Username     string    `json:"username"`
	Name         string    `json:"name"`
	Email        string    `json:"email,omitempty"`
	Role         Role      `json:"role"`
	UnitID       int64     `json:"unit_id"` // the root of the user's scope
	Lang         string    `json:"lang"`    // "vi" or "en"
	PasswordHash string    `json:"-"`
	Disabled     bool      `json:"disabled"`
	CreatedAt    time.Time `json:"created_at"`

	system bool
}

// SystemUser acts for the command line and the demo loader: an admin over
// every unit. It cannot sign in.
var SystemUser = &User{Username: "system", Name: "dxtrack", Role: RoleAdmin, Lang: "vi", system: true}

// IsSystem reports whether u is SystemUser.
func (u *User) IsSystem() bool { return u != nil && u.system }

// MinPasswordLength is the shortest password accepted.
const MinPasswordLength = 8

// Validate checks the user's own fields; password is the new plain
// password, or "" when it does not change.
func (u *User) Validate(password string, isNew bool) error {
	var p Problems
	if !ValidCode(u.Username) {
		p.Add("username", "error.code_format", nil)
	}
	if u.Name == "" {
		p.Add("name", "error.required", nil)
	}
	if u.Email != "" {
		if _, err := mail.ParseAddress(u.Email); err != nil {
			p.Add("email", "error.email", nil)
		}
	}
	if !u.Role.Valid() {
		p.Add("role", "error.unknown_value", map[string]any{"Value": string(u.Role)})
	}
	if u.UnitID == 0 {
		p.Add("unit", "error.required", nil)
	}
	if u.Lang != "" && u.Lang != "vi" && u.Lang != "en" {
		p.Add("lang", "error.unknown_value", map[string]any{"Value": u.Lang})
	}
	if (isNew || password != "") && len([]rune(password)) < MinPasswordLength {
		p.Add("password", "error.password_short", map[string]any{"Min": MinPasswordLength})
	}
	return p.Err()
}

// InScope reports whether a unit lies in the user's subtree; path lists the
// unit's ancestors from the root, the unit itself last (UnitAncestors).
func (u *User) InScope(path []int64) bool {
	return u != nil && (u.system || slices.Contains(path, u.UnitID))
}

// CanAdmin reports whether the user may set up (create, fully edit,
// delete) things owned by the unit with the given path.
func (u *User) CanAdmin(path []int64) bool {
	return u != nil && !u.Disabled && u.Role == RoleAdmin && u.InScope(path)
}

// CanReport reports whether the user may update the figures of a target or
// task led by the unit with the given path: an admin over it, or a
// reporter of that very unit.
func (u *User) CanReport(path []int64) bool {
	if u == nil || u.Disabled || len(path) == 0 {
		return false
	}
	switch u.Role {
	case RoleAdmin:
		return u.InScope(path)
	case RoleReporter:
		return path[len(path)-1] == u.UnitID
	}
	return false
}

// CanOverride reports whether the user may override the status of an item
// led by the unit with the given path: an admin or reviewer over it.
func (u *User) CanOverride(path []int64) bool {
	return u != nil && !u.Disabled && (u.Role == RoleAdmin || u.Role == RoleReviewer) && u.InScope(path)
}

// UserFilter selects users.
type UserFilter struct {
	UnitID int64 // users scoped at or below this unit
	Role   Role
	Query  string
	Page
}

// UserService manages accounts. Listing and changing other users is for
// admins over the user's unit; everyone may read and change their own
// name, language and password.
type UserService interface {
	FindUserByID(ctx context.Context, id int64) (*User, error)
	FindUsers(ctx context.Context, f UserFilter) ([]*User, int, error)
	// CreateUser hashes password with argon2id. With no user in the
	// context it succeeds only while the store has no users at all (the
	// first-run admin and the command line).
	CreateUser(ctx context.Context, u *User, password string) error
	// UpdateUser replaces the editable fields; password "" keeps it.
	UpdateUser(ctx context.Context, u *User, password string) error
	// Authenticate returns the user for a username and password, or
	// EUNAUTHORIZED with no hint of which was wrong.
	Authenticate(ctx context.Context, username, password string) (*User, error)
	// SessionUser returns an enabled user by ID for the session
	// middleware, which has no signed-in user yet; EUNAUTHORIZED otherwise.
	SessionUser(ctx context.Context, id int64) (*User, error)
	// CountUsers tells whether the first-run page is needed.
	CountUsers(ctx context.Context) (int, error)
	// CreateToken issues an API bearer token for the signed-in user; only
	// its hash is kept, the token is returned once.
	CreateToken(ctx context.Context, name string) (string, error)
	// UserByToken returns the user a bearer token belongs to, or
	// EUNAUTHORIZED.
	UserByToken(ctx context.Context, token string) (*User, error)
	// FindTokens lists the signed-in user's tokens, newest first, without
	// their secrets.
	FindTokens(ctx context.Context) ([]*Token, error)
	// RevokeToken deletes one of the signed-in user's tokens (an admin may
	// revoke the tokens of users in scope); it stops working at once.
	RevokeToken(ctx context.Context, id int64) error
}

// Token describes an API bearer token; the secret itself is shown once, at
// creation, and only its hash is kept.
type Token struct {
	ID        int64     `json:"id"`
	UserID    int64     `json:"user_id"`
	Name      string    `json:"name"`
	CreatedAt time.Time `json:"created_at"`
	LastUsed  time.Time `json:"last_used,omitzero"`
}
