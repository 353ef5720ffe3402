package sshserve

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"matui/client"
	"matui/client/hub"
	"matui/model"
	"matui/ui"
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

// Identity is who holds a key, as the server's key lists say: the only
// account of a person the server trusts.
type Identity struct {
	Name        string // the key line's name="…" option or comment (sanitised; may be empty)
	Fingerprint string // SHA256:… of the key
	Role        Role
}

// Actor is who drives a session: the key's holder, and the user name the
// client asked for, which anyone can choose and so names nobody.
type Actor struct {
	Identity
	User string // SSH user name (client-chosen, sanitised: informative only)
}

// Who names the actor for people (:audit, logs): the key's name and the
// start of its fingerprint, or the fingerprint alone for an unnamed key.
func (id Identity) Who() string {
	fp := strings.TrimPrefix(id.Fingerprint, "SHA256:")
	if len(fp) > shortFingerprint {
		fp = fp[:shortFingerprint]
	}
	if id.Name == "" {
		return "SHA256:" + fp
	}
	return id.Name + " (" + fp + ")"
}

// shortFingerprint is how much of a fingerprint Who shows: enough to tell
// two keys of one name apart at a glance (the audit file has all of it).
const shortFingerprint = 8

// ErrReadOnly is what every mutation of a viewer's session returns. The
// dashboard already hides actions from viewers; this is the server-side
// check that does not trust it.
var ErrReadOnly = errors.New("read-only session: actions are not allowed")

// console is what every session's backend shares: the upstream (the one
// *client.Client, holder of the credentials), the shared listing, the
// auditor, and the count of mutations in flight (for Drain).
type console struct {
	upstream ui.Backend
	listing  *hub.Hub
	audit    Auditor
	now      func() time.Time

	mutations inFlight // sent and not yet audited (Drain)
}

// newConsole shares upstream among sessions: they list through one hub
// over its incremental poller (listOpts; every user's instances when
// allUsers) and record their mutations through audit.
func newConsole(upstream ui.Backend, allUsers bool, listOpts hub.Options, audit Auditor) *console {
	now := listOpts.Now
	if now == nil {
		now = time.Now
	}
	lister := &pollingLister{up: upstream, all: allUsers}
	return &console{upstream: upstream, listing: hub.New(lister, listOpts), audit: audit, now: now}
}

// mutationTimeout bounds one sent mutation, detached from the session
// that asked for it: long enough for the client's retries of a PUT or
// DELETE, short enough that a shutdown does not wait forever.
const mutationTimeout = 3 * time.Minute

// Drain waits until every mutation in flight has returned and been
// audited, or ctx ends. The server calls it on shutdown before closing the
// audit log, so that an action a user started is never left unrecorded.
func (c *console) Drain(ctx context.Context) error {
	if err := c.mutations.wait(ctx); err != nil {
		return fmt.Errorf("sshserve: actions still in flight at shutdown: %w", err)
	}
	return nil
}

// sessionBackend is one connection's ui.Backend: it lists through the
// shared hub, forwards catalog reads, and sends mutations only for
// operators, auditing every attempt. Close it when the dashboard ends:
// that abandons its waits.
type sessionBackend struct {
	shared  *console
	listing *hub.Reader // this session's reads of the shared listing
	actor   Actor
	ctx     context.Context
	cancel  context.CancelFunc
}

var _ ui.Backend = (*sessionBackend)(nil)

// session returns a backend for one dashboard driven by actor.
func (c *console) session(actor Actor) *sessionBackend {
	s := &sessionBackend{shared: c, listing: c.listing.NewReader(), actor: actor}
	s.ctx, s.cancel = context.WithCancel(context.Background())
	return s
}

// Close abandons the session's waits; calls after Close fail with
// context.Canceled. Upstream calls already sent run to completion (their
// result must still reach the audit log).
func (s *sessionBackend) Close() { s.cancel() }

// bind ties ctx to the session's lifetime.
func (s *sessionBackend) bind(ctx context.Context) (context.Context, context.CancelFunc) {
	ctx, cancel := context.WithCancel(ctx)
	stop := context.AfterFunc(s.ctx, cancel)
	return ctx, func() { stop(); cancel() }
}

// ListInstances returns the shared list (see hub.Hub).
func (s *sessionBackend) ListInstances(ctx context.Context) ([]model.Instance, error) {
	ctx, cancel := s.bind(ctx)
	defer cancel()
	return s.listing.List(ctx)
}

// StartInstance starts inst through the shared client (operators only).
func (s *sessionBackend) StartInstance(ctx context.Context, inst model.Instance, autoStop time.Duration) (model.Instance, error) {
	detail := "auto-stop off"
	if autoStop > 0 {
		detail = "auto-stop " + autoStop.String()
	}
	return write(s, ctx, "start", inst, detail, func(ctx context.Context) (model.Instance, error) {
		return s.shared.upstream.StartInstance(ctx, inst, autoStop)
	})
}

// StopInstance stops inst (operators only).
func (s *sessionBackend) StopInstance(ctx context.Context, inst model.Instance) (model.Instance, error) {
	return write(s, ctx, "stop", inst, "", func(ctx context.Context) (model.Instance, error) {
		return s.shared.upstream.StopInstance(ctx, inst)
	})
}

// DeleteInstance deletes inst (operators only).
func (s *sessionBackend) DeleteInstance(ctx context.Context, inst model.Instance) (model.Instance, error) {
	return write(s, ctx, "delete", inst, "", func(ctx context.Context) (model.Instance, error) {
		return s.shared.upstream.DeleteInstance(ctx, inst)
	})
}

// RenewLease renews inst's auto-stop lease (operators only).
func (s *sessionBackend) RenewLease(ctx context.Context, inst model.Instance, d time.Duration) (model.Instance, error) {
	return write(s, ctx, "renew", inst, "lease "+d.String(), func(ctx context.Context) (model.Instance, error) {
		return s.shared.upstream.RenewLease(ctx, inst, d)
	})
}

// ServerNow is the upstream's server clock.
func (s *sessionBackend) ServerNow() time.Time { return s.shared.upstream.ServerNow() }

// Describe is the upstream's description.
func (s *sessionBackend) Describe() string { return s.shared.upstream.Describe() }

// mutate checks the role, runs do, invalidates the shared list and records
// the outcome. The record is durable before mutate returns, so the
// dashboard never reports an action the audit log does not hold; if it
// cannot be written the action is reported as failed with the reason (the
// cloud call itself may have succeeded, and the error says so).
func (s *sessionBackend) mutate(ctx context.Context, action string, inst model.Instance, detail string, do func(context.Context) error) error {
	rec := Record{
		Name:         s.actor.Name,
		Fingerprint:  s.actor.Fingerprint,
		SSHUser:      s.actor.User,
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
	case s.shared.listing.Closed():
		err = hub.ErrClosed
		rec.Result = ResultError
	default:
		// Not bound to the session: once sent, the call's outcome must be
		// learned and audited even if the user disconnects or the server
		// shuts down meanwhile (Drain waits for it).
		s.shared.mutations.enter() // never closed: Drain only waits
		defer s.shared.mutations.leave()
		callCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), mutationTimeout)
		err = do(callCtx)
		cancel()
		s.shared.listing.Invalidate()
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
	rec.Time = s.shared.now().UTC()
	rec = rec.sanitized()
	if s.shared.audit != nil {
		if aerr := s.shared.audit.Record(rec); aerr != nil {
			return errors.Join(err, fmt.Errorf("%s was sent (result: %s) but the audit log failed: %w", action, rec.Result, aerr))
		}
	}
	return err
}

// read forwards a catalog read, bound to the session like a list.
func read[T any](s *sessionBackend, ctx context.Context, do func(ui.Backend, context.Context) (T, error)) (T, error) {
	var zero T
	if s.shared.listing.Closed() {
		return zero, hub.ErrClosed
	}
	ctx, cancel := s.bind(ctx)
	defer cancel()
	return do(s.shared.upstream, ctx)
}

// ListFlavors forwards the flavor catalog.
func (s *sessionBackend) ListFlavors(ctx context.Context, opts client.FlavorOptions) ([]model.NotebookFlavor, error) {
	return read(s, ctx, func(f ui.Backend, ctx context.Context) ([]model.NotebookFlavor, error) {
		return f.ListFlavors(ctx, opts)
	})
}

// ListSwitchableFlavors forwards a notebook's switchable flavors.
func (s *sessionBackend) ListSwitchableFlavors(ctx context.Context, id string) ([]model.NotebookFlavor, error) {
	return read(s, ctx, func(f ui.Backend, ctx context.Context) ([]model.NotebookFlavor, error) {
		return f.ListSwitchableFlavors(ctx, id)
	})
}

// ListImages forwards the image catalog.
func (s *sessionBackend) ListImages(ctx context.Context, opts client.ImageOptions) ([]model.Image, error) {
	return read(s, ctx, func(f ui.Backend, ctx context.Context) ([]model.Image, error) {
		return f.ListImages(ctx, opts)
	})
}

// write forwards a creation or update through mutate (role check, audit,
// invalidation).
func write[T any](s *sessionBackend, ctx context.Context, action string, inst model.Instance, detail string, do func(context.Context) (T, error)) (T, error) {
	var out T
	err := s.mutate(ctx, action, inst, detail, func(ctx context.Context) error {
		var err error
		out, err = do(ctx)
		return err
	})
	return out, err
}

// CreateNotebook creates a Gen 2 notebook (operators only).
func (s *sessionBackend) CreateNotebook(ctx context.Context, req model.CreateNotebookRequest) (model.Notebook, error) {
	return write(s, ctx, "create", model.Instance{Name: req.Name}, "", func(ctx context.Context) (model.Notebook, error) {
		return s.shared.upstream.CreateNotebook(ctx, req)
	})
}

// UpdateNotebook updates a Gen 2 notebook (operators only).
func (s *sessionBackend) UpdateNotebook(ctx context.Context, id string, req model.UpdateNotebookRequest) (model.Notebook, error) {
	return write(s, ctx, "update", model.Instance{ID: id}, "", func(ctx context.Context) (model.Notebook, error) {
		return s.shared.upstream.UpdateNotebook(ctx, id, req)
	})
}

// CreateDevInstance creates a Gen 1 instance (operators only).
func (s *sessionBackend) CreateDevInstance(ctx context.Context, req model.CreateDevInstanceRequest) (model.DevInstance, error) {
	return write(s, ctx, "create", model.Instance{Name: req.Name}, "", func(ctx context.Context) (model.DevInstance, error) {
		return s.shared.upstream.CreateDevInstance(ctx, req)
	})
}

// ModifyDevInstance modifies a Gen 1 instance (operators only).
func (s *sessionBackend) ModifyDevInstance(ctx context.Context, id string, req model.ModifyDevInstanceRequest) (model.DevInstance, error) {
	return write(s, ctx, "update", model.Instance{ID: id}, "", func(ctx context.Context) (model.DevInstance, error) {
		return s.shared.upstream.ModifyDevInstance(ctx, id, req)
	})
}

// OpenCodeLab opens (creating if needed) the CodeLab instance (operators only).
func (s *sessionBackend) OpenCodeLab(ctx context.Context, req model.OpenCodeLabRequest) (model.Notebook, error) {
	return write(s, ctx, "codelab", model.Instance{}, "", func(ctx context.Context) (model.Notebook, error) {
		return s.shared.upstream.OpenCodeLab(ctx, req)
	})
}

// ListPools forwards the pool list.
func (s *sessionBackend) ListPools(ctx context.Context, opts client.PoolOptions) ([]model.Cluster, error) {
	return read(s, ctx, func(u ui.Backend, ctx context.Context) ([]model.Cluster, error) { return u.ListPools(ctx, opts) })
}

// AttachStorage mounts storage into a notebook (operators only).
func (s *sessionBackend) AttachStorage(ctx context.Context, id string, req model.AttachStorageRequest) (model.DataVolume, error) {
	return write(s, ctx, "attach", model.Instance{ID: id}, req.MountPath, func(ctx context.Context) (model.DataVolume, error) {
		return s.shared.upstream.AttachStorage(ctx, id, req)
	})
}

// DetachStorage unmounts storage (operators only).
func (s *sessionBackend) DetachStorage(ctx context.Context, id, storageID string) (model.DataVolume, error) {
	return write(s, ctx, "detach", model.Instance{ID: id}, storageID, func(ctx context.Context) (model.DataVolume, error) {
		return s.shared.upstream.DetachStorage(ctx, id, storageID)
	})
}

// AddNotebookTags tags a notebook (operators only).
func (s *sessionBackend) AddNotebookTags(ctx context.Context, id string, tags []model.Tag) error {
	return s.mutate(ctx, "tag", model.Instance{ID: id}, tagDetail(tags), func(ctx context.Context) error {
		return s.shared.upstream.AddNotebookTags(ctx, id, tags)
	})
}

// RemoveNotebookTags untags a notebook (operators only).
func (s *sessionBackend) RemoveNotebookTags(ctx context.Context, id string, tags []model.Tag) error {
	return s.mutate(ctx, "untag", model.Instance{ID: id}, tagDetail(tags), func(ctx context.Context) error {
		return s.shared.upstream.RemoveNotebookTags(ctx, id, tags)
	})
}

// SaveImage saves a running notebook as an image (operators only).
func (s *sessionBackend) SaveImage(ctx context.Context, id string, req model.CreateImageRequest) (model.Image, error) {
	return write(s, ctx, "save-image", model.Instance{ID: id}, req.Namespace+"/"+req.Name+":"+req.Tag, func(ctx context.Context) (model.Image, error) {
		return s.shared.upstream.SaveImage(ctx, id, req)
	})
}

func tagDetail(tags []model.Tag) string {
	parts := make([]string, len(tags))
	for i, t := range tags {
		parts[i] = t.Key + "=" + t.Value
	}
	return strings.Join(parts, ",")
}

// FindInstancesByName forwards a lookup by name.
func (s *sessionBackend) FindInstancesByName(ctx context.Context, gen model.Generation, name string) ([]model.Instance, error) {
	return read(s, ctx, func(u ui.Backend, ctx context.Context) ([]model.Instance, error) {
		return u.FindInstancesByName(ctx, gen, name)
	})
}

// FindInstancesByTags is not offered to sessions: they share one listing
// the console keeps complete, so a tag search would add nothing but
// upstream requests any viewer could multiply.
func (s *sessionBackend) FindInstancesByTags(context.Context, bool, []model.TagFilter) ([]model.Instance, error) {
	return nil, fmt.Errorf("tag search: the console's shared listing holds every instance: %w", errors.ErrUnsupported)
}

// Poll is the shared listing as one complete page per source: the console
// polls once for every session (pollingLister), so a session's poll costs
// the cloud nothing of its own. The scope is the server's.
func (s *sessionBackend) Poll(ctx context.Context, _ bool) *client.Listing {
	return client.ListingOf(ctx, s.ListInstances)
}

// Touched tells the console's poller an instance was acted on; the next
// shared poll looks at it.
func (s *sessionBackend) Touched(inst model.Instance) {
	s.shared.upstream.Touched(inst)
	s.shared.listing.Invalidate()
}

// Resync makes the next shared poll a full listing (a session pressed r).
func (s *sessionBackend) Resync() {
	s.shared.upstream.Resync()
	s.shared.listing.Invalidate()
}

// pollingLister is the hub's upstream listing: the upstream's incremental
// poller (a poll costs what changed) applied to a snapshot of every row,
// which the hub then shares among the sessions. The hub may run a fetch
// while an older one is still in flight (after a mutation); the client's
// poller runs polls one at a time, so their pages never interleave.
type pollingLister struct {
	up   ui.Backend
	all  bool // every user's instances
	mu   sync.Mutex
	snap client.Snapshot
}

// ListInstances runs one poll and returns every row, with the sources whose
// listing failed (their rows kept) as a *client.PartialError.
func (p *pollingLister) ListInstances(ctx context.Context) ([]model.Instance, error) {
	l := p.up.Poll(ctx, p.all)
	defer l.Close()
	for {
		pg, ok := l.Next()
		if !ok {
			break
		}
		p.mu.Lock()
		p.snap.Apply(pg)
		p.mu.Unlock()
	}
	err := l.Err()
	var pe *client.PartialError
	if err != nil && !errors.As(err, &pe) {
		return nil, err
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	rows := slices.Clone(p.snap.Instances())
	var failed []client.PartFailure
	for src, e := range p.snap.Stale() {
		if e != nil {
			failed = append(failed, client.PartFailure{What: string(src), Err: e})
		}
	}
	if len(failed) > 0 {
		slices.SortFunc(failed, func(a, b client.PartFailure) int { return strings.Compare(a.What, b.What) })
		return rows, &client.PartialError{Failed: failed}
	}
	return rows, nil
}
