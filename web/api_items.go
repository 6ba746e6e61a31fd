package web

import (
	"context"

	"github.com/dxtrack/dxtrack"
)

// apiItemOps are the service calls the shared target and task API
// handlers need; T is the domain item, O its API form.
type apiItemOps[T, O any] struct {
	find        func(ctx context.Context, id int64) (*T, error)
	create      func(ctx context.Context, t *T) error
	update      func(ctx context.Context, t *T) error
	setOverride func(ctx context.Context, id int64, o *dxtrack.Override) (*T, error)
	setUp       func(cur, next *T) bool // whether a change goes beyond a report
	ok          func(ctx context.Context, t *T) (*apiBody[O], error)
}

// get answers with the stored item.
func (a apiItemOps[T, O]) get(ctx context.Context, id int64) (*apiBody[O], error) {
	t, err := a.find(ctx, id)
	if err != nil {
		return nil, err
	}
	return a.ok(ctx, t)
}

// post creates an item from a POST body (apply).
func (a apiItemOps[T, O]) post(ctx context.Context, s *Server, apply func(inp *apiInput, t *T)) (*apiBody[O], error) {
	inp := &apiInput{s: s, ctx: ctx}
	t := new(T)
	apply(inp, t)
	if err := inp.Err(); err != nil {
		return nil, err
	}
	if err := a.create(ctx, t); err != nil {
		return nil, err
	}
	return a.ok(ctx, t)
}

// put merges a PUT body (apply) into the stored item. A change beyond the
// report fields is an update (admins); anything else goes to report, so
// the lead unit's reporter may use PUT too.
func (a apiItemOps[T, O]) put(ctx context.Context, s *Server, id int64, apply func(inp *apiInput, t *T),
	report func(ctx context.Context, id int64) (*T, error)) (*apiBody[O], error) {
	cur, err := a.find(ctx, id)
	if err != nil {
		return nil, err
	}
	next := *cur
	inp := &apiInput{s: s, ctx: ctx}
	apply(inp, &next)
	if err := inp.Err(); err != nil {
		return nil, err
	}
	if a.setUp(cur, &next) {
		if err := a.update(ctx, &next); err != nil {
			return nil, err
		}
		return a.get(ctx, id)
	}
	return a.report(ctx, id, report)
}

// report runs a report call and answers with the item.
func (a apiItemOps[T, O]) report(ctx context.Context, id int64, report func(ctx context.Context, id int64) (*T, error)) (*apiBody[O], error) {
	t, err := report(ctx, id)
	if err != nil {
		return nil, err
	}
	return a.ok(ctx, t)
}

// override sets (body != nil) or clears the item's status override.
func (a apiItemOps[T, O]) override(ctx context.Context, id int64, body *apiOverrideInput) (*apiBody[O], error) {
	var o *dxtrack.Override
	if body != nil {
		o = &dxtrack.Override{Status: dxtrack.Status(body.Status), Reason: body.Reason}
	}
	t, err := a.setOverride(ctx, id, o)
	if err != nil && o != nil {
		return nil, apiRenameFields(err, apiOverrideFields)
	} else if err != nil {
		return nil, err
	}
	return a.ok(ctx, t)
}
