package hub

import (
	"context"
	"errors"
	"fmt"
	"time"

	"matui/client"
	"matui/model"
)

// Role is what a session may do.
type Role int

const (
	// RoleViewer sees everything and changes nothing. It is the zero value
	// so that a forgotten role fails closed.
	RoleViewer Role = iota
	// RoleOperator may start, stop, delete and renew instances.
	RoleOperator
)

func (r Role) String() string {
	if r == RoleOperator {
		return "operator"
	}
	return "viewer"
}

// Actor is who drives a session, as the audit log names them.
type Actor struct {
	User        string // SSH user name (client-chosen: informative only)
	Fingerprint string // SHA256:… of the authenticated public key
	Role        Role
}

// ErrReadOnly is what every mutation of a viewer's session returns. The
// dashboard already hides actions from viewers; this is the server-side
// check that does not trust it.
var ErrReadOnly = errors.New("read-only session: actions are not allowed")

// Session is one dashboard's view of the hub. It satisfies ui.Backend.
// Close it when the dashboard ends: that abandons its waits.
type Session struct {
	h      *Hub
	actor  Actor
	audit  Auditor
	ctx    context.Context
	cancel context.CancelFunc
}

// Session returns a backend for one dashboard driven by a. audit receives
// one Record per attempted mutation (nil: none are recorded).
func (h *Hub) Session(a Actor, audit Auditor) *Session {
	s := &Session{h: h, actor: a, audit: audit}
	s.ctx, s.cancel = context.WithCancel(context.Background())
	return s
}

// Actor returns who drives the session.
func (s *Session) Actor() Actor { return s.actor }

// Close abandons the session's waits; calls after Close fail with
// context.Canceled. Upstream calls already sent run to completion (their
// result must still reach the audit log).
func (s *Session) Close() { s.cancel() }

// bind ties ctx to the session's lifetime.
func (s *Session) bind(ctx context.Context) (context.Context, context.CancelFunc) {
	ctx, cancel := context.WithCancel(ctx)
	stop := context.AfterFunc(s.ctx, cancel)
	return ctx, func() { stop(); cancel() }
}

// ListInstances returns the shared list (see Hub).
func (s *Session) ListInstances(ctx context.Context) ([]model.Instance, error) {
	ctx, cancel := s.bind(ctx)
	defer cancel()
	return s.h.list(ctx)
}

// StartInstance starts inst through the shared client (operators only).
func (s *Session) StartInstance(ctx context.Context, inst model.Instance, autoStop time.Duration) (model.Instance, error) {
	detail := "auto-stop off"
	if autoStop > 0 {
		detail = "auto-stop " + autoStop.String()
	}
	return write(s, ctx, "start", inst, detail, func(ctx context.Context) (model.Instance, error) {
		return s.h.up.StartInstance(ctx, inst, autoStop)
	})
}

// StopInstance stops inst (operators only).
func (s *Session) StopInstance(ctx context.Context, inst model.Instance) (model.Instance, error) {
	return write(s, ctx, "stop", inst, "", func(ctx context.Context) (model.Instance, error) {
		return s.h.up.StopInstance(ctx, inst)
	})
}

// DeleteInstance deletes inst (operators only).
func (s *Session) DeleteInstance(ctx context.Context, inst model.Instance) (model.Instance, error) {
	return write(s, ctx, "delete", inst, "", func(ctx context.Context) (model.Instance, error) {
		return s.h.up.DeleteInstance(ctx, inst)
	})
}

// RenewLease renews inst's auto-stop lease (operators only).
func (s *Session) RenewLease(ctx context.Context, inst model.Instance, d time.Duration) (model.Instance, error) {
	return write(s, ctx, "renew", inst, "lease "+d.String(), func(ctx context.Context) (model.Instance, error) {
		return s.h.up.RenewLease(ctx, inst, d)
	})
}

// ServerNow is the upstream's server clock.
func (s *Session) ServerNow() time.Time { return s.h.up.ServerNow() }

// Describe is the upstream's description.
func (s *Session) Describe() string { return s.h.up.Describe() }

// mutate checks the role, runs do, invalidates the shared list and records
// the outcome. The record is durable before mutate returns, so the
// dashboard never reports an action the audit log does not hold; if it
// cannot be written the action is reported as failed with the reason (the
// cloud call itself may have succeeded, and the error says so).
func (s *Session) mutate(ctx context.Context, action string, inst model.Instance, detail string, do func(context.Context) error) error {
	rec := Record{
		User:         s.actor.User,
		Fingerprint:  s.actor.Fingerprint,
		Role:         s.actor.Role.String(),
		Action:       action,
		InstanceID:   inst.ID,
		InstanceName: inst.Name,
		Detail:       detail,
	}
	var err error
	switch {
	case s.actor.Role != RoleOperator:
		err = ErrReadOnly
		rec.Result = ResultDenied
	case s.h.isClosed():
		err = ErrClosed
		rec.Result = ResultError
	default:
		// Not bound to the session: once sent, the call's outcome must be
		// learned and audited even if the user disconnects or the server
		// shuts down meanwhile (Drain waits for it).
		s.h.beginMutation()
		defer s.h.endMutation()
		callCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), mutationTimeout)
		err = do(callCtx)
		cancel()
		s.h.Invalidate()
		rec.Result = ResultOK
		if err != nil {
			rec.Result = ResultError
		}
	}
	if err != nil {
		rec.Error = err.Error()
		var api *client.APIError
		if errors.As(err, &api) {
			rec.Code = api.Code
		}
	}
	rec.Time = s.h.opts.Now().UTC()
	if s.audit != nil {
		if aerr := s.audit.Record(rec); aerr != nil {
			return errors.Join(err, fmt.Errorf("%s was sent (result: %s) but the audit log failed: %w", action, rec.Result, aerr))
		}
	}
	return err
}

func (h *Hub) isClosed() bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.closed
}
